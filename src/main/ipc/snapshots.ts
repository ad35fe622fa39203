import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/validate';
import { epoch, runId } from './checks';
import type { DomainHandlers } from './types';

/** `snapshots/*`: stored position snapshots of a run. */
export function snapshotHandlers(service: LabMethods): DomainHandlers<'getSnapshotEpochs' | 'getSnapshot'> {
  return {
    getSnapshotEpochs: { args: args(runId), run: (id) => service.getSnapshotEpochs(id) },
    getSnapshot: { args: args(runId, epoch), run: (id, e) => service.getSnapshot(id, e) },
  };
}
