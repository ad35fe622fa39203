import type { LabMethods } from '../../shared/lab-api';
import { ReproductionIdSchema, ReproductionRequestSchema } from '../../shared/schema/api';
import { args, noArgs } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

type ReproduceMethods =
  | 'startReproduction'
  | 'getReproduction'
  | 'stopReproduction'
  | 'getReproductionResults'
  | 'listReproductions'
  | 'getReproductionReport';

/** `reproduce/*`: the paper's experiments (`sen-lab reproduce` in the app), one at a time. */
export function reproduceHandlers(service: LabMethods): DomainHandlers<ReproduceMethods> {
  return {
    startReproduction: { args: args(ReproductionRequestSchema), run: (request) => service.startReproduction(request) },
    getReproduction: { args: noArgs, run: () => service.getReproduction() },
    stopReproduction: { args: noArgs, run: () => service.stopReproduction() },
    getReproductionResults: { args: noArgs, run: () => service.getReproductionResults() },
    listReproductions: { args: noArgs, run: () => service.listReproductions() },
    getReproductionReport: { args: args(ReproductionIdSchema), run: (id) => service.getReproductionReport(id) },
  };
}
