/**
 * `pruneRun` of the lab service: post-training pruning of a stored run's final model, evaluated
 * by a PruneWorker (a worker thread), so the Electron main thread never runs TensorFlow.js.
 */
import type { RunStore } from '../../core/store/index';
import { DEFAULT_STUDY_RATES, testOnly, type PruneEvaluator } from '../../core/study/index';
import type { PruneRequest, PruneResult } from '../../shared/lab-api';
import { LabValidationError } from '../../shared/schema/errors';
import { LabStateError } from './errors';

/**
 * Evaluates pruned copies of run `id`'s final model; the run is not changed. Without rates and
 * distances the paper's rates are used. `testSize` is capped at the run's own test set size.
 * @throws LabStateError when the run has no final model, LabValidationError for distances on a dense model
 */
export async function pruneStoredRun(
  store: RunStore,
  evaluate: PruneEvaluator,
  id: string,
  request: PruneRequest,
): Promise<PruneResult[]> {
  const run = store.getRun(id);
  const model = store.getFinalModel(run.id);
  if (!model) {
    throw new LabStateError(`run ${run.id} has no final model (status: ${run.status}); pruning needs a finished run`);
  }
  const maxDistances = request.maxDistances ?? [];
  if (maxDistances.length > 0 && run.config.model.kind !== 'spatial') {
    throw new LabValidationError(
      `maxDistances: distance pruning needs a spatial model; run ${run.id} is ${run.config.model.kind}`,
    );
  }
  const rates = request.rates ?? (maxDistances.length > 0 ? [] : [...DEFAULT_STUDY_RATES]);
  const own = run.config.dataset.testSize;
  const testSize =
    request.testSize !== undefined && own !== undefined ? Math.min(request.testSize, own) : (request.testSize ?? own);
  return evaluate({
    model,
    dataset: testOnly(run.config.dataset, testSize),
    rates,
    maxDistances,
    scope: request.scope ?? 'global',
  });
}
