import type { LabMethods } from '../../shared/lab-api';
import { PruneRequestSchema, RunIdSchema } from '../../shared/schema/api';
import { args } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `prune/*`: post-training pruning of a run's final model (the run is not changed). */
export function pruneHandlers(service: LabMethods): DomainHandlers<'pruneRun'> {
  return {
    pruneRun: { args: args(RunIdSchema, PruneRequestSchema), run: (id, request) => service.pruneRun(id, request) },
  };
}
