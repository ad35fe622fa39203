import { PRESETS } from '../../core/model/presets';
import { noArgs } from '../../shared/validate';
import type { DomainHandlers } from './types';

export const presetHandlers: DomainHandlers<'listPresets'> = {
  listPresets: {
    args: noArgs,
    run: () => PRESETS.map(({ name, description }) => ({ name, description })),
  },
};
