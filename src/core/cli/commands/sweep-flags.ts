/** The executor flags of `sen-lab sweep run`, `study` and `reproduce` (local or Slurm, with sbatch options). */
import type { SweepExecutorOptions } from '../../../shared/sweep';
import { choice, int, list, str, UsageError, type OptionSpec, type Parsed } from '../args';
import { TFJS_BACKENDS, SWEEP_EXECUTORS } from '../../../shared/schema/enums';

export const SLURM_OPTIONS = {
  executor: { type: 'string' },
  'max-parallel': { type: 'string' },
  partition: { type: 'string' },
  time: { type: 'string' },
  'cpus-per-task': { type: 'string' },
  mem: { type: 'string' },
  gres: { type: 'string' },
  account: { type: 'string' },
  'sbatch-arg': { type: 'string', multiple: true },
  'shared-dir': { type: 'string' },
  backend: { type: 'string' },
} as const satisfies OptionSpec;

export const SLURM_USAGE = `Slurm (with --executor slurm):
  --partition P --time T --cpus-per-task N --mem M --gres G --account A
                         passed to sbatch as --partition=P etc.
  --sbatch-arg ARG       any other sbatch argument, verbatim (repeatable), e.g. --sbatch-arg=--qos=short
  --shared-dir DIR       folder every node sees: job file, run bundles, logs (default ./sen-lab-sweeps)
  --backend NAME         TensorFlow.js backend on the nodes: tensorflow (tfjs-node / tfjs-node-gpu), wasm, cpu
`;

const SLURM_ONLY = ['partition', 'time', 'cpus-per-task', 'mem', 'gres', 'account', 'sbatch-arg', 'shared-dir'];

/** Executor options from flags; Slurm flags without --executor slurm are a usage error. */
export function executorFromFlags(p: Parsed): SweepExecutorOptions {
  const executor = choice('executor', str(p, 'executor'), SWEEP_EXECUTORS) ?? 'local';
  const maxParallel = int('max-parallel', str(p, 'max-parallel'), 1);
  const backend = choice('backend', str(p, 'backend'), TFJS_BACKENDS);
  const options: SweepExecutorOptions = { executor, ...(maxParallel !== undefined ? { maxParallel } : {}) };
  if (executor === 'local') {
    const given = SLURM_ONLY.filter((f) => p.values[f] !== undefined);
    if (given.length) throw new UsageError(`${given.map((f) => `--${f}`).join(', ')} need --executor slurm`);
    if (backend) throw new UsageError('--backend applies to --executor slurm (locally, set SEN_LAB_BACKEND)');
    return options;
  }
  const cpus = int('cpus-per-task', str(p, 'cpus-per-task'), 1);
  const slurm: NonNullable<SweepExecutorOptions['slurm']> = {};
  for (const [flag, key] of [
    ['partition', 'partition'],
    ['time', 'time'],
    ['mem', 'mem'],
    ['gres', 'gres'],
    ['account', 'account'],
    ['shared-dir', 'sharedDir'],
  ] as const) {
    const v = str(p, flag);
    if (v !== undefined) {
      if (v.trim() === '') throw new UsageError(`invalid --${flag}: empty`);
      slurm[key] = v;
    }
  }
  if (cpus !== undefined) slurm.cpusPerTask = cpus;
  const extra = list(p, 'sbatch-arg');
  if (extra.length) slurm.extraArgs = extra;
  if (backend) slurm.backend = backend;
  return { ...options, slurm };
}

/**
 * `study`/`reproduce --executor ...`: trains the configs they need as one sweep on that executor
 * (progress on stderr, Ctrl-C stops the driver), so the study or report that follows reuses every run.
 */
export async function trainPlanOnExecutor(
  store: import('../../store/index').RunStore,
  name: string,
  configs: import('../../../shared/run-config').RunConfig[],
  options: SweepExecutorOptions,
  ctx: import('../context').CliContext,
): Promise<void> {
  const { trainOnExecutor } = await import('../../sweep/plans');
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await trainOnExecutor(store, name, configs, options, {
      signal: controller.signal,
      cwd: ctx.cwd,
      events: {
        training: (i, state, message) => ctx.stderr.write(`[sweep ${i}] ${state}${message ? `: ${message}` : ''}\n`),
        message: (text) => ctx.stderr.write(`${text}\n`),
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
