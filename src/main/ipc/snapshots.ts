import type { LabMethods } from '../../shared/lab-api';
import { EpochSchema, RunIdSchema } from '../../shared/schema/api';
import { args } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `snapshots/*`: stored position snapshots of a run. */
export function snapshotHandlers(service: LabMethods): DomainHandlers<'getSnapshotEpochs' | 'getSnapshot'> {
  return {
    getSnapshotEpochs: { args: args(RunIdSchema), run: (id) => service.getSnapshotEpochs(id) },
    getSnapshot: { args: args(RunIdSchema, EpochSchema), run: (id, e) => service.getSnapshot(id, e) },
  };
}
