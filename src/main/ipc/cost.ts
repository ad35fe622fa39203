import type { LabMethods } from '../../shared/lab-api';
import type { CostRequest } from '../../shared/lab-api';
import { args, arrayOf, object, optional } from '../../shared/validate';
import { reproductionRequest, runConfig, studySpec } from './checks';
import type { DomainHandlers } from './types';

/** configs (at most a large sweep's worth), a study spec or a reproduction request */
const costRequest = object<CostRequest>({
  configs: optional(arrayOf(runConfig, 10_000)),
  study: optional(studySpec),
  reproduction: optional(reproductionRequest),
});

/** `cost/*`: what a form's trainings cost here, before Start. */
export function costHandlers(service: LabMethods): DomainHandlers<'estimateCost'> {
  return { estimateCost: { args: args(costRequest), run: (request) => service.estimateCost(request) } };
}
