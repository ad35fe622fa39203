import type { LabMethods } from '../../shared/lab-api';
import { noArgs } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `app/*`: version and engine status. */
export function appHandlers(service: LabMethods): DomainHandlers<'getVersion' | 'getStatus'> {
  return {
    getVersion: { args: noArgs, run: () => service.getVersion() },
    getStatus: { args: noArgs, run: () => service.getStatus() },
  };
}
