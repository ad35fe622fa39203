/** `sen-lab predict --run ID`: logits of a run's final model on the first test images of its data set. */
import type { RunStore } from '../../store/index';
import { bool, int, parseCommand, str, UsageError, type OptionSpec } from '../args';
import { printJson, withStore, type CliContext, type Command } from '../context';
import { percent, table } from '../format';

const OPTIONS = {
  run: { type: 'string' },
  count: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab predict --run ID [--count N] [--db FILE] [--json]

Run the final model of a run on the first N test images of the run's data set.

Options:
  --run ID               the run (id or unique prefix)
  --count N              number of test images (default 10; at most the whole test set)
  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 {"runId", "logits": number[][], "predictions": number[], "labels": number[]}
  -h, --help             show this help
`;

export const command: Command = { name: 'predict', usage: USAGE, run };

/** The result of a prediction over the first `count` test images. */
export interface PredictResult {
  runId: string;
  logits: number[][];
  predictions: number[];
  labels: number[];
}

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  const id = str(p, 'run');
  if (id === undefined) throw new UsageError('missing --run ID');
  const count = int('count', str(p, 'count'), 1) ?? 10;
  const result = await withStore(str(p, 'db'), (store) => predictRun({ store, id, count }), 'read');
  if (bool(p, 'json')) printJson(ctx.stdout, result);
  else printTable(result, ctx);
  return 0;
}

/**
 * Load the run's final model and data set and compute logits for the first `count` test images.
 * @throws when the run is unknown, has no final model, or its data set cannot be loaded
 */
export async function predictRun(opts: { store: RunStore; id: string; count: number }): Promise<PredictResult> {
  const run = opts.store.getRun(opts.id);
  const bytes = opts.store.getFinalModel(run.id);
  if (!bytes) throw new Error(`run ${run.id} has no final model (status ${run.status}); finish or resume it first`);
  const [{ loadDataset }, { initBackend }, { loadModelForInference }] = await Promise.all([
    import('../../data/index'),
    import('../../train/backend'),
    import('../../model/inference'),
  ]);
  // the first test images only; one training image keeps the (unused) training split small
  const data = loadDataset({ name: run.config.dataset.name, trainSize: 1 });
  const n = Math.min(opts.count, data.test.count);
  const pixels = data.rows * data.cols;
  await initBackend();
  const model = await loadModelForInference(bytes);
  try {
    const out = model.predict(data.test.images.subarray(0, n * pixels), n);
    const classes = out.length / n;
    const logits: number[][] = [];
    for (let i = 0; i < n; i++) logits.push(Array.from(out.subarray(i * classes, (i + 1) * classes)));
    return {
      runId: run.id,
      logits,
      predictions: logits.map(argmax),
      labels: Array.from(data.test.labels.subarray(0, n)),
    };
  } finally {
    model.dispose();
  }
}

function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

function printTable(r: PredictResult, ctx: CliContext): void {
  const rows = r.logits.map((l, i) => [
    String(i),
    String(r.labels[i]),
    String(r.predictions[i]),
    r.predictions[i] === r.labels[i] ? 'yes' : 'NO',
    l.map((x) => x.toFixed(2)).join(' '),
  ]);
  ctx.stdout.write(table(['#', 'LABEL', 'PREDICTED', 'OK', 'LOGITS'], rows));
  const correct = r.predictions.filter((p, i) => p === r.labels[i]).length;
  ctx.stdout.write(`${correct}/${r.labels.length} correct (${percent(correct / Math.max(1, r.labels.length), 1)})\n`);
}
