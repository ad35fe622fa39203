import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/validate';
import { pruneRequest, runId } from './checks';
import type { DomainHandlers } from './types';

/** `prune/*`: post-training pruning of a run's final model (the run is not changed). */
export function pruneHandlers(service: LabMethods): DomainHandlers<'pruneRun'> {
  return {
    pruneRun: { args: args(runId, pruneRequest), run: (id, request) => service.pruneRun(id, request) },
  };
}
