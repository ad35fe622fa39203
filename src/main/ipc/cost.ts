import type { LabMethods } from '../../shared/lab-api';
import { CostRequestSchema } from '../../shared/schema/api';
import { args } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `cost/*`: what a form's trainings cost here, before Start. */
export function costHandlers(service: LabMethods): DomainHandlers<'estimateCost'> {
  return { estimateCost: { args: args(CostRequestSchema), run: (request) => service.estimateCost(request) } };
}
