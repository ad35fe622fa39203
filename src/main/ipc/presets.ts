import type { LabMethods } from '../../shared/lab-api';
import { noArgs } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `presets/*`. */
export function presetHandlers(service: LabMethods): DomainHandlers<'listPresets'> {
  return {
    listPresets: { args: noArgs, run: () => service.listPresets() },
  };
}
