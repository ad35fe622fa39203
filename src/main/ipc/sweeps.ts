import type { LabMethods } from '../../shared/lab-api';
import type { SweepExecutorOptions, SweepSpec } from '../../shared/sweep';
import {
  args,
  arrayOf,
  integer,
  LabValidationError,
  noArgs,
  object,
  oneOf,
  optional,
  string,
  type Check,
} from '../../shared/validate';
import type { DomainHandlers } from './types';

type SweepMethods = 'planSweep' | 'startSweep' | 'cancelSweep' | 'resumeSweep' | 'listSweeps' | 'getSweep';

/** A sweep spec: a plain object of bounded size; the planner checks every field and names the bad one. */
const sweepSpec: Check<SweepSpec> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new LabValidationError(`${path}: expected a sweep spec object`);
  if (JSON.stringify(v).length > 200_000) throw new LabValidationError(`${path}: the sweep spec is too large`);
  return v as SweepSpec;
};

const sweepId: Check<string> = (v, path) => {
  const id = string(64)(v, path);
  if (id.trim() === '') throw new LabValidationError(`${path}: expected a sweep id, got an empty string`);
  return id;
};

const text = optional(string(4096));
const executorOptions: Check<SweepExecutorOptions> = object<SweepExecutorOptions>({
  executor: oneOf('local', 'slurm'),
  maxParallel: optional(integer(1, 10_000)),
  slurm: optional(
    object<NonNullable<SweepExecutorOptions['slurm']>>({
      partition: text,
      time: text,
      cpusPerTask: optional(integer(1, 4096)),
      mem: text,
      gres: text,
      account: text,
      extraArgs: optional(arrayOf(string(4096), 100)),
      sharedDir: text,
      backend: optional(oneOf('tensorflow', 'wasm', 'cpu')),
    }),
  ),
});

/** `sweeps/*`: plan, start, cancel, resume and read sweeps. */
export function sweepHandlers(service: LabMethods): DomainHandlers<SweepMethods> {
  return {
    planSweep: {
      args: args(sweepSpec, optional(executorOptions)),
      run: (spec, options) => service.planSweep(spec, options),
    },
    startSweep: { args: args(sweepSpec, executorOptions), run: (spec, options) => service.startSweep(spec, options) },
    cancelSweep: { args: args(sweepId), run: (id) => service.cancelSweep(id) },
    resumeSweep: { args: args(sweepId), run: (id) => service.resumeSweep(id) },
    listSweeps: { args: noArgs, run: () => service.listSweeps() },
    getSweep: { args: args(sweepId), run: (id) => service.getSweep(id) },
  };
}
