/**
 * `sen-lab sweep`: run a sweep spec on the local machine or a Slurm cluster, follow, cancel and resume it.
 * The hidden `sweep task` is what each Slurm array task runs on its node.
 */
import type { SweepDetail, SweepExecutorOptions } from '../../../shared/sweep';
import type { RunStore } from '../../store/index';
import { bool, int, parseCommand, positionals, str, UsageError, type OptionSpec, type Parsed } from '../args';
import { openStore, printJson, withStore, type CliContext } from '../context';
import { table } from '../format';
import { SLURM_OPTIONS, SLURM_USAGE, executorFromFlags } from './sweep-flags';

const DB = { db: { type: 'string' }, json: { type: 'boolean' } } as const satisfies OptionSpec;
const RUN_OPTIONS = {
  ...DB,
  spec: { type: 'string' },
  'dry-run': { type: 'boolean' },
  detach: { type: 'boolean' },
  ...SLURM_OPTIONS,
} as const satisfies OptionSpec;

export const USAGE = `Usage: sen-lab sweep run --spec FILE [--executor local|slurm] [--max-parallel N] [--dry-run] [--detach]
                           [Slurm options] [--db FILE] [--json]
       sen-lab sweep list [--db FILE] [--json]
       sen-lab sweep show ID [--follow] [--db FILE] [--json]
       sen-lab sweep cancel ID [--db FILE]
       sen-lab sweep resume ID [--max-parallel N] [--db FILE] [--json]

A sweep spec (JSON, or YAML for .yaml/.yml) names a base (preset and/or config), fixed overrides (set),
a grid and/or random distributions (with count) over dotted config paths, and seeds; see docs/sweeps.md.
Completed runs with exactly a planned config are reused. Bad paths or values are refused before anything runs.

Options:
  --spec FILE            the sweep spec
  --executor E           local (default: worker threads here) or slurm (one job array, bundles on a shared folder)
  --max-parallel N       at most N trainings at once (local default: one per core; Slurm: the array's %N)
  --dry-run              print the plan and the estimated CPU-hours (from speeds this store recorded); run nothing
  --detach               (slurm) submit and exit; follow later with 'sweep show ID --follow'
${SLURM_USAGE}  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 JSON on stdout; for run/resume/show --follow the last line is
                         {"sweepId","runs":[...],"completed":N,"failed":M}

Ctrl-C stops the driver: local trainings stop after their batch (resume continues them); Slurm jobs keep running.
`;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export const command = { name: 'sweep', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') return runSweep(parseCommand(rest, RUN_OPTIONS), ctx);
  if (sub === 'list') return listSweeps(parseCommand(rest, DB), ctx);
  if (sub === 'show') return showSweep(parseCommand(rest, { ...DB, follow: { type: 'boolean' } }, true), ctx);
  if (sub === 'cancel') return cancel(parseCommand(rest, DB, true), ctx);
  if (sub === 'resume') return resume(parseCommand(rest, { ...DB, 'max-parallel': { type: 'string' } }, true), ctx);
  if (sub === 'task') return (await import('./sweep-task')).runTaskCommand(rest, ctx);
  throw new UsageError(
    sub === undefined ? 'missing subcommand (run, list, show, cancel, resume)' : `unknown subcommand '${sub}'`,
  );
}

async function runSweep(p: Parsed, ctx: CliContext): Promise<number> {
  const specFile = str(p, 'spec');
  if (specFile === undefined) throw new UsageError('missing --spec FILE');
  const options = executorFromFlags(p);
  if (bool(p, 'detach') && options.executor !== 'slurm')
    throw new UsageError('--detach needs --executor slurm (local trainings run in this process)');
  const { readSweepSpec, planSweep } = await import('../../sweep/spec');
  const path = await import('node:path');
  const spec = readSweepSpec(path.resolve(ctx.cwd, specFile));
  const plan = planSweep(spec); // refuses a bad spec before the store is opened
  if (bool(p, 'dry-run')) return withStore(str(p, 'db'), (store) => dryRun(store, plan, options, bool(p, 'json'), ctx));
  const { createSweep } = await import('../../sweep/run-sweep');
  const store = await openStore(str(p, 'db'));
  try {
    const sweep = createSweep(store, spec, options, ctx.cwd);
    ctx.stderr.write(`Sweep ${sweep.id} "${sweep.name}": ${sweep.total} trainings on ${options.executor}\n`);
    return await drive(store, sweep.id, 'start', bool(p, 'json'), ctx, bool(p, 'detach'));
  } finally {
    store.close();
  }
}

async function dryRun(
  store: RunStore,
  plan: Awaited<ReturnType<(typeof import('../../sweep/spec'))['planSweep']>>,
  options: SweepExecutorOptions,
  json: boolean,
  ctx: CliContext,
): Promise<number> {
  const { estimateSweep } = await import('../../sweep/estimate');
  const est = estimateSweep(
    store,
    plan.trainings,
    options.executor === 'slurm' ? (options.slurm?.cpusPerTask ?? 1) : 1,
  );
  if (json) {
    printJson(ctx.stdout, { trainings: plan.trainings, estimate: est });
    return 0;
  }
  const rows = plan.trainings.map((t, i) => [
    String(t.index),
    t.key,
    JSON.stringify(t.values),
    est.seconds[i] === null ? '?' : `${Math.round(est.seconds[i]!)} s`,
  ]);
  ctx.stdout.write(table(['#', 'KEY', 'VALUES', 'EST. TIME'], rows));
  const unknown =
    est.unknown > 0 ? ` (${est.unknown} training(s) of a model never trained in this store: unknown)` : '';
  ctx.stdout.write(`${plan.trainings.length} trainings, estimated ${est.cpuHours.toFixed(3)} CPU-hours${unknown}\n`);
  return 0;
}

/** Runs, resumes or follows a sweep with Ctrl-C handling, then prints it. */
async function drive(
  store: RunStore,
  id: string,
  mode: 'start' | 'resume' | 'follow',
  json: boolean,
  ctx: CliContext,
  detach = false,
): Promise<number> {
  const { driveSweep } = await import('../../sweep/run-sweep');
  const controller = new AbortController();
  let signalName: string | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalName !== null) process.exit(SIGNAL_EXIT[sig] ?? 130);
    signalName = sig;
    ctx.stderr.write(`${sig}: stopping the driver (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (detach) controller.abort();
  try {
    const sweep = await driveSweep(store, id, mode, {
      signal: controller.signal,
      events: {
        training: (i, state, message) => ctx.stderr.write(`[${i}] ${state}${message ? `: ${message}` : ''}\n`),
        message: (text) => ctx.stderr.write(`${text}\n`),
      },
    });
    printSweep(sweep, json, ctx);
    if (sweep.status === 'running')
      ctx.stderr.write(
        `Sweep ${sweep.id} still has tasks in Slurm; follow with: sen-lab sweep show ${sweep.id} --follow\n`,
      );
    if (signalName !== null && sweep.status !== 'completed') return SIGNAL_EXIT[signalName] ?? 130;
    return sweep.status === 'completed' || sweep.status === 'running' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function listSweeps(p: Parsed, ctx: CliContext): Promise<number> {
  const sweeps = await withStore(str(p, 'db'), (store) => store.listSweeps());
  if (bool(p, 'json')) printJson(ctx.stdout, sweeps);
  else if (sweeps.length === 0) ctx.stdout.write('No sweeps yet.\n');
  else {
    const rows = sweeps.map((s) => [
      s.id,
      s.name,
      s.executor,
      s.status,
      `${s.completed}/${s.total}`,
      String(s.failed),
      s.createdAt.slice(0, 16).replace('T', ' '),
    ]);
    ctx.stdout.write(table(['ID', 'NAME', 'EXECUTOR', 'STATUS', 'DONE', 'FAILED', 'CREATED (UTC)'], rows));
  }
  return 0;
}

async function showSweep(p: Parsed, ctx: CliContext): Promise<number> {
  const [id] = positionals(p, ['ID']);
  const store = await openStore(str(p, 'db'));
  try {
    if (bool(p, 'follow')) return await drive(store, id, 'follow', bool(p, 'json'), ctx);
    const sweep = store.getSweep(id);
    if (bool(p, 'json')) printJson(ctx.stdout, sweep);
    else printSweep(sweep, false, ctx);
    return 0;
  } finally {
    store.close();
  }
}

async function cancel(p: Parsed, ctx: CliContext): Promise<number> {
  const [id] = positionals(p, ['ID']);
  const { cancelSweep } = await import('../../sweep/run-sweep');
  const { sweep, cancelledJobs } = await withStore(str(p, 'db'), (store) => cancelSweep(store, id));
  if (bool(p, 'json')) printJson(ctx.stdout, { sweepId: sweep.id, status: sweep.status, scancelled: cancelledJobs });
  else
    ctx.stdout.write(
      `Sweep ${sweep.id} cancelled${cancelledJobs.length ? ` (scancel ${cancelledJobs.join(' ')})` : ''}\n`,
    );
  return 0;
}

async function resume(p: Parsed, ctx: CliContext): Promise<number> {
  const [id] = positionals(p, ['ID']);
  const parallel = int('max-parallel', str(p, 'max-parallel'), 1);
  const store = await openStore(str(p, 'db'));
  try {
    const sweep = store.getSweep(id);
    if (parallel !== undefined) ctx.stderr.write(`(--max-parallel ${parallel} applies to this resume only)\n`);
    if (parallel !== undefined) sweep.options.maxParallel = parallel;
    const todo = sweep.trainings.filter((t) => ['queued', 'failed', 'cancelled'].includes(t.state)).length;
    ctx.stderr.write(`Resuming sweep ${sweep.id}: ${todo} training(s) to run\n`);
    return await drive(store, sweep.id, 'resume', bool(p, 'json'), ctx);
  } finally {
    store.close();
  }
}

/** The trainings table, or the JSON summary line. */
function printSweep(s: SweepDetail, json: boolean, ctx: CliContext): void {
  if (json) {
    const runs = s.trainings.map((t) => t.runId).filter((r): r is string => r !== null);
    printJson(ctx.stdout, { sweepId: s.id, status: s.status, runs, completed: s.completed, failed: s.failed });
    return;
  }
  ctx.stdout.write(
    `Sweep ${s.id} "${s.name}" (${s.executor}): ${s.status}, ${s.completed}/${s.total} done, ${s.failed} failed${s.error ? ` (${s.error})` : ''}\n`,
  );
  const rows = s.trainings.map((t) => [
    String(t.index),
    t.state + (t.reused ? ' (reused)' : ''),
    t.runId ?? '-',
    t.slurmJobId ? `${t.slurmJobId} ${t.slurmState ?? ''}` : '-',
    JSON.stringify(t.values),
    t.error ?? '',
  ]);
  ctx.stdout.write(table(['#', 'STATE', 'RUN', 'SLURM', 'VALUES', 'NOTE'], rows));
}
