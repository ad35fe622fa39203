import * as v from 'valibot';
import type { LabMethods } from '../../shared/lab-api';
import { RunIdSchema, SpikeRequestSchema } from '../../shared/schema/api';
import { args } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `snn/*`: spike trains and membrane potentials of spiking runs. */
export function snnHandlers(service: LabMethods): DomainHandlers<'getSpikes'> {
  return {
    // a missing request means the defaults (the HTTP client drops a trailing undefined argument)
    getSpikes: {
      args: args(RunIdSchema, v.optional(SpikeRequestSchema, {})),
      run: (id, request) => service.getSpikes(id, request),
    },
  };
}
