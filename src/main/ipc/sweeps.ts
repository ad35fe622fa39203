import * as v from 'valibot';
import type { LabMethods } from '../../shared/lab-api';
import { SweepIdSchema } from '../../shared/schema/api';
import { args, noArgs } from '../../shared/schema/args';
import { SweepExecutorOptionsSchema, SweepSpecSchema } from '../../shared/schema/sweep';
import type { DomainHandlers } from './types';

type SweepMethods = 'planSweep' | 'startSweep' | 'cancelSweep' | 'resumeSweep' | 'listSweeps' | 'getSweep';

/** `sweeps/*`: plan, start, cancel, resume and read sweeps (the planner checks each planned config). */
export function sweepHandlers(service: LabMethods): DomainHandlers<SweepMethods> {
  return {
    planSweep: {
      args: args(SweepSpecSchema, v.optional(SweepExecutorOptionsSchema)),
      run: (spec, options) => service.planSweep(spec, options),
    },
    startSweep: {
      args: args(SweepSpecSchema, SweepExecutorOptionsSchema),
      run: (spec, options) => service.startSweep(spec, options),
    },
    cancelSweep: { args: args(SweepIdSchema), run: (id) => service.cancelSweep(id) },
    resumeSweep: { args: args(SweepIdSchema), run: (id) => service.resumeSweep(id) },
    listSweeps: { args: noArgs, run: () => service.listSweeps() },
    getSweep: { args: args(SweepIdSchema), run: (id) => service.getSweep(id) },
  };
}
