import type { LabMethods, SpikeRequest } from '../../shared/lab-api';
import { args, type Check } from '../../shared/validate';
import { runId } from './checks';
import { spikeRequest } from './figure-checks';
import type { DomainHandlers } from './types';

/** A missing request means the defaults (the HTTP client drops a trailing undefined argument). */
const spikeRequestOrDefault: Check<SpikeRequest> = (v, path) => (v === undefined ? {} : spikeRequest(v, path));

/** `snn/*`: spike trains and membrane potentials of spiking runs. */
export function snnHandlers(service: LabMethods): DomainHandlers<'getSpikes'> {
  return {
    getSpikes: { args: args(runId, spikeRequestOrDefault), run: (id, request) => service.getSpikes(id, request) },
  };
}
