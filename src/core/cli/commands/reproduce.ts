/**
 * `sen-lab reproduce`: train (or reuse) the paper's models and write a report comparing our
 * numbers with the paper's. Ctrl-C (SIGINT/SIGTERM) stops after the current batch and keeps what
 * is done (report included); a rerun reuses every finished run. Exit 0 done, 130/143 interrupted.
 */
import { definedOnly } from '../../util/objects';
import type { Budget } from '../../reproduce/plan';
import type { ReproduceResults } from '../../reproduce/types';
import { ReproductionRequestSchema } from '../../../shared/schema/api';
import { bool, checkWithSchema, intList, int, num, parseCommand, str, UsageError, type OptionSpec } from '../args';
import { openStore, printJson, type CliContext, type Command } from '../context';
import { ProgressLine } from '../progress';
import { executorFromFlags, SLURM_OPTIONS, SLURM_USAGE, trainPlanOnExecutor } from './sweep-flags';
import type { SweepExecutorOptions } from '../../../shared/sweep';

/** The flag that sets each field of the reproduction request. */
const REQUEST_FLAGS = {
  experiments: '--experiments',
  seeds: '--seeds',
  budget: '--budget',
  epochs: '--epochs',
  trainSize: '--train-size',
  testSize: '--test-size',
};

const OPTIONS = {
  experiments: { type: 'string' },
  models: { type: 'string' },
  seeds: { type: 'string' },
  epochs: { type: 'string' },
  budget: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  out: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  ...SLURM_OPTIONS,
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab reproduce [--experiments table1,dims,snn,pruning] [--seeds 1,2,3]
                         [--epochs N | --budget F] [--train-size N] [--test-size N]
                         [--models ID,...] [--out DIR] [--db FILE] [--json] [--dry-run]

Reproduces the paper's results (Erb et al., arXiv 2506.13410): Table 1 (3D MLP, fixed gap,
relaxed, Baselines 14/17/2048), the embedding dimensions (5D/8D/16D/32D vs parameter-matched
dense B20/B32/B60/B117), the SNN table and the pruning figure (Fig. 3, via a pruning study).
A completed run with exactly the wanted config is reused instead of trained again.
Writes report.md, report.html, results.json and figures/*.svg into the output folder.

Options:
  --experiments E,...  table1, dims, snn, pruning (default: all)
  --seeds S,...        training seeds (default 1,2,3, as in the paper)
  --epochs N           train every model for N epochs (report says "shortened")
  --budget F           0 < F <= 1: every model trains max(1, round(F x its epochs)) (shortened)
  --train-size N       train on the first N training images (labelled in the report)
  --test-size N        evaluate on the first N test images (labelled in the report)
  --models ID,...      only these rows (row ids or presets: paper-3d, baseline-20, ...;
                       pruning: 3D, B14, B2048)
  --out DIR            output folder (default ./sen-lab-report-YYYY-MM-DD)
  --executor E         train every run first as one sweep: local (--max-parallel N at once) or slurm
                       (a job array; Slurm options below); the report then reuses them
  --db FILE            run database (default: $SEN_LAB_DB or the per-user data folder)
  --json               print the results (as in results.json) on stdout at the end
  --dry-run            train nothing: print how many trainings the protocol needs and the
                       estimated hours and CPU-hours here, from the speed of each network
                       measured now (a few batches each; evaluation time not counted)
${SLURM_USAGE}  -h, --help           show this help

Progress goes to stderr. The full reproduction trains 3 seeds x 22 models for 300/200 epochs
plus 36 pruned trainings per seed: days of compute. --budget 0.01 gives a shortened version.
Ctrl-C stops after the current batch, keeps what is done and writes the report (exit 130/143).
`;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export const command: Command = { name: 'reproduce', usage: USAGE, run };

/** The reproduction options a command line asks for (usage errors for malformed flags). */
export function optionsFromFlags(
  argv: string[],
  cwd: string,
  today = new Date(),
): {
  experiments?: string[];
  models?: string[];
  seeds?: number[];
  budget: Budget;
  outDir: string;
  db?: string;
  json: boolean;
  dryRun: boolean;
  executor?: SweepExecutorOptions;
} {
  const p = parseCommand(argv, OPTIONS);
  const list = (flag: string): string[] | undefined => {
    const raw = str(p, flag);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new UsageError(`invalid --${flag}: empty entry in '${raw}'`);
    return items;
  };
  const epochs = int('epochs', str(p, 'epochs'));
  const fraction = num('budget', str(p, 'budget'));
  if (epochs !== undefined && fraction !== undefined) throw new UsageError('give --epochs or --budget, not both');
  // the same request the app sends (startReproduction), checked by the same schema
  const { experiments, seeds, trainSize, testSize } = checkWithSchema(
    ReproductionRequestSchema,
    definedOnly({
      experiments: list('experiments'),
      seeds: intList('seeds', str(p, 'seeds')),
      budget: fraction,
      epochs,
      trainSize: int('train-size', str(p, 'train-size')),
      testSize: int('test-size', str(p, 'test-size')),
    }),
    REQUEST_FLAGS,
  );
  const budget: Budget = {
    ...(fraction !== undefined ? { fraction } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(trainSize !== undefined ? { trainSize } : {}),
    ...(testSize !== undefined ? { testSize } : {}),
  };
  const outDir = str(p, 'out') ?? `${cwd}/sen-lab-report-${today.toISOString().slice(0, 10)}`;
  return {
    ...(experiments ? { experiments } : {}),
    ...(list('models') ? { models: list('models') } : {}),
    ...(seeds ? { seeds } : {}),
    budget,
    outDir,
    ...(str(p, 'db') !== undefined ? { db: str(p, 'db') } : {}),
    json: bool(p, 'json'),
    dryRun: bool(p, 'dry-run'),
    ...(str(p, 'executor') !== undefined ? { executor: executorFromFlags(p) } : {}),
  };
}

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const o = optionsFromFlags(argv, ctx.cwd);
  const { reproduce, selectExperiments } = await import('../../reproduce/index');
  try {
    selectExperiments(o); // unknown --models are usage errors, before the store is opened
  } catch (err) {
    throw new UsageError(`invalid --models: ${(err as Error).message}`);
  }
  if (o.dryRun) return dryRun(o, ctx);
  const store = await openStore(o.db);
  if (o.executor) {
    try {
      const { reproduceConfigs } = await import('../../sweep/plans');
      await trainPlanOnExecutor(store, 'reproduce', reproduceConfigs(store, o), o.executor, ctx);
    } catch (err) {
      store.close();
      throw err;
    }
  }
  const controller = new AbortController();
  const bar = new ProgressLine(ctx.stderr);
  let signalName: string | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalName !== null) process.exit(SIGNAL_EXIT[sig] ?? 130); // second signal: runs are recovered as interrupted at the next open
    signalName = sig;
    bar.clear();
    ctx.stderr.write(`${sig}: stopping after the current batch, keeping what is done (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let results: ReproduceResults;
  try {
    ctx.stderr.write(`Reproducing into ${o.outDir}\n`);
    results = await reproduce({
      store,
      outDir: o.outDir,
      ...(o.experiments ? { experiments: o.experiments } : {}),
      ...(o.models ? { models: o.models } : {}),
      ...(o.seeds ? { seeds: o.seeds } : {}),
      budget: o.budget,
      signal: controller.signal,
      onProgress: (e) => {
        bar.clear();
        ctx.stderr.write(`[${e.done}/${e.total}] ${e.experiment}: ${e.message}\n`);
      },
      onTraining: (t) => {
        if (t.type === 'batch') bar.update(t);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
  bar.clear();
  for (const d of results.deviations) ctx.stderr.write(`${d}\n`);
  ctx.stderr.write(
    `Report: ${results.outDir}/report.md (${results.trainedRuns.length} runs trained, ${results.reusedRuns.length} reused, status ${results.status})\n`,
  );
  if (o.json) printJson(ctx.stdout, results);
  if (results.status === 'interrupted') return SIGNAL_EXIT[signalName ?? 'SIGINT'] ?? 130;
  return 0;
}

/** --dry-run: the trainings of the protocol and their estimated cost on this machine. */
async function dryRun(o: ReturnType<typeof optionsFromFlags>, ctx: CliContext): Promise<number> {
  const { selectExperiments } = await import('../../reproduce/index');
  const { plannedTrainings, estimateCost } = await import('../../reproduce/estimate');
  const seeds = o.seeds ?? [1, 2, 3];
  const groups = plannedTrainings(selectExperiments(o), seeds, o.budget);
  const lines = await estimateCost(groups, (model) => ctx.stderr.write(`measuring ${model}...\n`));
  if (o.json) {
    printJson(
      ctx.stdout,
      lines.map(({ config: _c, ...rest }) => rest),
    );
    return 0;
  }
  const header = ['EXPERIMENT', 'MODEL', 'TRAININGS', 'EPOCHS', 'SAMPLES/S', 'THREADS', 'HOURS', 'CPU-HOURS'];
  const rows = lines.map((l) => [
    l.experiment,
    l.model,
    String(l.count),
    String(l.epochs),
    l.samplesPerSec.toFixed(0),
    String(l.threads),
    l.hours.toFixed(2),
    l.cpuHours.toFixed(2),
  ]);
  const total = (k: 'count' | 'hours' | 'cpuHours') => lines.reduce((s, l) => s + l[k], 0);
  rows.push(['total', '', String(total('count')), '', '', '', total('hours').toFixed(1), total('cpuHours').toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const cells of [header, ...rows])
    ctx.stdout.write(cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ') + '\n');
  ctx.stdout.write(
    `${total('count')} trainings (seeds ${seeds.join(',')}); about ${total('hours').toFixed(1)} h here one after another, ` +
      `${total('cpuHours').toFixed(1)} CPU-hours (speeds measured now on this machine; evaluation not counted)\n`,
  );
  return 0;
}
