/**
 * `estimateCost`: the trainings a form asks for (configs, a study spec or a reproduction request)
 * and their estimated time here, through the lab's one estimator (core/cost). A study counts every
 * training it may need (a run it can reuse would make it cheaper); a network this store never
 * trained is measured once per process (a few batches, in `measure`: the lab's speed worker thread).
 */
import { validateRunConfig } from '../../core/config/index';
import { estimateTrainings } from '../../core/cost/estimate';
import type { MeasureSpeed } from '../../core/cost/speed';
import type { RunStore } from '../../core/store/index';
import { reproduceConfigs, studyConfigs } from '../../core/sweep/plans';
import type { CostEstimate } from '../../shared/cost';
import type { CostRequest } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { requestBudget } from './reproduction';

export async function estimateCost(
  store: RunStore,
  request: CostRequest,
  measure?: MeasureSpeed,
): Promise<CostEstimate> {
  const configs: RunConfig[] = (request.configs ?? []).map((c) => validateRunConfig(c));
  if (request.study) configs.push(...studyConfigs(store, request.study));
  const r = request.reproduction;
  if (r) {
    configs.push(
      ...reproduceConfigs(store, {
        ...(r.experiments ? { experiments: r.experiments } : {}),
        ...(r.seeds ? { seeds: r.seeds } : {}),
        budget: requestBudget(r),
      }),
    );
  }
  return estimateTrainings(configs, store, undefined, measure);
}
