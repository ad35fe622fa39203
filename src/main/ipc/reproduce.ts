import type { LabMethods } from '../../shared/lab-api';
import { args, noArgs, string } from '../../shared/validate';
import { reproductionRequest } from './checks';
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
    startReproduction: { args: args(reproductionRequest), run: (request) => service.startReproduction(request) },
    getReproduction: { args: noArgs, run: () => service.getReproduction() },
    stopReproduction: { args: noArgs, run: () => service.stopReproduction() },
    getReproductionResults: { args: noArgs, run: () => service.getReproductionResults() },
    listReproductions: { args: noArgs, run: () => service.listReproductions() },
    getReproductionReport: { args: args(string(200)), run: (id) => service.getReproductionReport(id) },
  };
}
