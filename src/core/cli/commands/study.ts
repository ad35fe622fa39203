/**
 * `sen-lab study`: run a pruning study (models x modes x rates x seeds), list studies, show one.
 * Ctrl-C (SIGINT/SIGTERM) stops the current training after its batch; the study is kept as
 * 'interrupted' with the points measured so far, and a rerun of the same spec trains only what is missing.
 */
import { plural } from '../../../shared/format';
import { meanStdText } from '../../../shared/study-stats';
import { PRUNE_SCOPES } from '../../../shared/schema/enums';
import type { StudyDetail, StudyModel, StudySpec } from '../../../shared/lab-api';
import { isValidationError } from '../../../shared/schema/errors';
import type { RunStore } from '../../store/index';
import { aggregateResults, studyCsv } from '../../study/aggregate';
import {
  bool,
  choice,
  int,
  intList,
  numList,
  parseCommand,
  positionals,
  str,
  UsageError,
  type OptionSpec,
} from '../args';
import { openStore, printJson, withStore, type CliContext, type Command } from '../context';
import { percent, table } from '../format';
import { ProgressLine } from '../progress';
import { executorFromFlags, SLURM_OPTIONS, SLURM_USAGE, trainPlanOnExecutor } from './sweep-flags';
import { STUDY_MODES } from '../../../shared/schema/enums';

const RUN_OPTIONS = {
  models: { type: 'string' },
  rates: { type: 'string' },
  modes: { type: 'string' },
  seeds: { type: 'string' },
  epochs: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  scope: { type: 'string' },
  name: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab study --models M,... [--rates R,...] [--modes post,during] [--seeds S,...]
                     [--epochs N] [--train-size N] [--test-size N] [--scope global|per-layer]
                     [--name TEXT] [--db FILE] [--json]
       sen-lab study list [--db FILE] [--json]
       sen-lab study show ID [--json | --csv] [--db FILE]

A pruning study: every model is pruned after training ('post', the paper's mode a: no fine-tuning)
and/or trained with pruning from the first step ('during', mode b), at every rate and seed.
Runs are reused when a completed run has exactly the wanted config, so a rerun trains only what is
missing. Trained runs are tagged study:<id> and stay in the run history.

Options:
  --models M,...       presets (paper-3d, baseline-14, ...) and/or existing runs as run:ID
                       (a run is used as it is: seeds and the size options do not apply to it)
  --rates R,...        fractions of connections removed, each in [0, 1) (default 0.2,0.4,0.6,0.8,0.9,0.95)
  --modes M,...        post, during or both (default post)
  --seeds S,...        training seeds of the preset models (default 1)
  --epochs N           train the presets for N epochs instead of the preset's
  --train-size N       train on the first N training images
  --test-size N        evaluate on the first N test images
  --scope S            global (default: rank all layers together) | per-layer
  --name TEXT          the study's name
  --executor E         train the study's runs first as one sweep: local (--max-parallel N at once) or
                       slurm (a job array; Slurm options below), then prune and measure here
  --db FILE            run database (default: $SEN_LAB_DB or the per-user data folder)
  --json               print the finished study (StudyDetail) as JSON on stdout; progress stays on stderr
  --csv                (show) model,mode,rate,mean,std,n,sparsity
  -h, --help           show this help
${SLURM_USAGE}
Ctrl-C stops after the current batch; the study is kept as interrupted (exit 130/143).
`;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export const command: Command = { name: 'study', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return list(rest, ctx);
  if (sub === 'show') return show(rest, ctx);
  if (sub !== undefined && !sub.startsWith('-'))
    throw new UsageError(`unknown subcommand '${sub}' (expected list, show or options)`);
  const p = parseCommand(argv, { ...RUN_OPTIONS, ...SLURM_OPTIONS });
  const spec = specFromFlags(p);
  const executor = str(p, 'executor') === undefined ? undefined : executorFromFlags(p);
  const store = await openStore(str(p, 'db'));
  try {
    if (executor) {
      const { studyConfigs } = await import('../../sweep/plans');
      await trainPlanOnExecutor(
        store,
        `study: ${spec.name ?? 'pruning study'}`,
        studyConfigs(store, spec),
        executor,
        ctx,
      );
    }
    return await runWithSignals(store, spec, ctx, bool(p, 'json'));
  } finally {
    store.close();
  }
}

/** Builds the StudySpec from flags; shape problems are usage errors (the spec check does the rest). */
function specFromFlags(p: ReturnType<typeof parseCommand>): StudySpec {
  const models = str(p, 'models');
  if (models === undefined) throw new UsageError('missing --models (presets and/or run:ID, comma-separated)');
  const spec: StudySpec = { models: models.split(',').map((m) => modelFromFlag(m.trim())) };
  const rates = numList('rates', str(p, 'rates'));
  if (rates) spec.rates = rates;
  const modes = str(p, 'modes');
  if (modes !== undefined) spec.modes = modes.split(',').map((m) => choice('modes', m.trim(), STUDY_MODES)!);
  const seeds = intList('seeds', str(p, 'seeds'));
  if (seeds) spec.seeds = seeds;
  const epochs = int('epochs', str(p, 'epochs'), 1);
  const trainSize = int('train-size', str(p, 'train-size'), 1);
  const testSize = int('test-size', str(p, 'test-size'), 1);
  const scope = choice('scope', str(p, 'scope'), PRUNE_SCOPES);
  const name = str(p, 'name');
  return { ...spec, ...defined({ epochs, trainSize, testSize, scope, name }) };
}

function modelFromFlag(m: string): StudyModel {
  if (m === '') throw new UsageError('invalid --models: empty entry');
  if (m.startsWith('run:')) {
    if (m.length === 4) throw new UsageError('invalid --models: run: needs a run id');
    return { runId: m.slice(4) };
  }
  return { preset: m };
}

/** Spec errors name a spec field; on the command line they are usage errors naming the flag. */
const FLAG_OF: Record<string, string> = {
  models: '--models',
  rates: '--rates',
  modes: '--modes',
  seeds: '--seeds',
  epochs: '--epochs',
  trainSize: '--train-size',
  testSize: '--test-size',
  scope: '--scope',
  name: '--name',
};

async function runWithSignals(store: RunStore, spec: StudySpec, ctx: CliContext, json: boolean): Promise<number> {
  const { prepareStudy, executeStudy } = await import('../../study/index');
  let prepared: ReturnType<typeof prepareStudy>;
  try {
    prepared = prepareStudy(store, spec);
  } catch (err) {
    const field = (err as { field?: unknown }).field;
    if (!isValidationError(err) || typeof field !== 'string') throw err;
    const flag = FLAG_OF[field.split(/[.[]/)[0]] ?? '--models';
    throw new UsageError(`invalid ${flag}: ${(err as Error).message}`);
  }
  const { id, total } = prepared.summary;
  ctx.stderr.write(`Study ${id} "${prepared.plan.spec.name}": ${total} points\n`);
  const controller = new AbortController();
  const bar = new ProgressLine(ctx.stderr);
  let signalName: string | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalName !== null) return forceQuit(store, id, sig);
    signalName = sig;
    bar.clear();
    ctx.stderr.write(`${sig}: stopping after the current batch (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const study = await executeStudy(prepared, {
      store,
      signal: controller.signal,
      onProgress: (e) => {
        bar.clear();
        ctx.stderr.write(`[${e.done}/${e.total}] ${e.message}\n`);
      },
      onTraining: (t) => {
        if (t.type === 'batch') bar.update(t);
      },
    });
    bar.clear();
    if (json) printJson(ctx.stdout, study);
    else ctx.stdout.write(formatStudy(study));
    if (study.status === 'completed') return 0;
    if (study.status === 'failed') {
      ctx.stderr.write(`sen-lab: study ${study.id} failed: ${study.error}\n`);
      return 1;
    }
    ctx.stderr.write(
      `Study ${study.id} interrupted after ${study.done}/${study.total} points; rerun the same command to finish it\n`,
    );
    return SIGNAL_EXIT[signalName ?? 'SIGINT'] ?? 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Second signal: mark the study interrupted and leave (its running training is recovered at the next open). */
function forceQuit(store: RunStore, studyId: string, sig: NodeJS.Signals): never {
  try {
    store.finishStudy(studyId, 'interrupted', `stopped by a second ${sig}`);
  } catch {
    // best effort: a stale 'running' study is marked interrupted when the database is next opened
  }
  process.exit(SIGNAL_EXIT[sig] ?? 130);
}

async function list(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
  const studies = await withStore(str(p, 'db'), (store) => store.listStudies(), 'read');
  if (bool(p, 'json')) printJson(ctx.stdout, studies);
  else if (studies.length === 0) ctx.stdout.write('No studies yet.\n');
  else {
    const rows = studies.map((s) => [
      s.id,
      s.name,
      s.status,
      `${s.done}/${s.total}`,
      s.createdAt.slice(0, 16).replace('T', ' '),
    ]);
    ctx.stdout.write(table(['ID', 'NAME', 'STATUS', 'POINTS', 'CREATED (UTC)'], rows));
  }
  return 0;
}

async function show(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, { db: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } }, true);
  const [id] = positionals(p, ['ID']);
  if (bool(p, 'json') && bool(p, 'csv')) throw new UsageError('give --json or --csv, not both');
  const study = await withStore(str(p, 'db'), (store) => store.getStudy(id), 'read');
  if (bool(p, 'json')) printJson(ctx.stdout, study);
  else if (bool(p, 'csv')) ctx.stdout.write(studyCsv(study));
  else ctx.stdout.write(formatStudy(study));
  return 0;
}

/** Header, baselines and the mean ± std table. */
function formatStudy(s: StudyDetail): string {
  const head = `Study ${s.id} "${s.name}": ${s.status}, ${s.done}/${s.total} points${s.error ? ` (${s.error})` : ''}\n`;
  const base = s.baselines.map((b) => {
    const runs = plural(b.runIds.length, 'run');
    return `  ${b.model}: unpruned ${percent(b.testAccuracy)} (${runs})`;
  });
  const rows = aggregateResults(s.results).map((r) => [
    r.model,
    r.mode,
    percent(r.rate, 0),
    meanStdText(r, (x) => percent(x)),
    String(r.n),
  ]);
  const body = rows.length ? table(['MODEL', 'MODE', 'RATE', 'TEST ACC (MEAN ± STD)', 'N'], rows) : 'No results yet.\n';
  return [head, ...(base.length ? ['Baselines:', ...base, ''] : []), body].join('\n');
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
