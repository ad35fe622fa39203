import { noArgs } from '../../shared/validate';
import type { DomainHandlers } from './types';

export const appHandlers: DomainHandlers<'getVersion'> = {
  getVersion: {
    args: noArgs,
    run: () => ({
      app: __APP_VERSION__,
      electron: process.versions['electron'] ?? null,
      node: process.versions.node,
    }),
  },
};
