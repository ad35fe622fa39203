/** `sen-lab prune --run ID --rates ...`: post-training magnitude pruning of a run's final model. */
import { PruneRequestSchema } from '../../../shared/schema/api';
import { PRUNE_RANKS, PRUNE_SCOPES } from '../../../shared/schema/enums';
import type { PrunedEvaluation } from '../../prune/index';
import type { RunStore } from '../../store/index';
import { definedOnly } from '../../util/objects';
import { bool, checkWithSchema, choice, int, numList, parseCommand, str, UsageError, type OptionSpec } from '../args';
import { printJson, withStore, type CliContext, type Command } from '../context';
import { percent, table, thousands } from '../format';

const OPTIONS = {
  run: { type: 'string' },
  rates: { type: 'string' },
  'max-distance': { type: 'string' },
  scope: { type: 'string' },
  rank: { type: 'string' },
  'test-size': { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

export const DEFAULT_RATES = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95];

const USAGE = `Usage: sen-lab prune --run ID [--rates 0.2,0.8,0.95] [--max-distance D,...] [--scope global|per-layer]
                     [--test-size N] [--db FILE] [--json]

Post-training pruning (the paper's mode a): remove the connections with the smallest |w| from a run's
final model (for a spatial network: the longest, |w| = 1/d), without fine-tuning, and evaluate each
pruned copy on the test set. The stored run is not changed.

Options:
  --run ID               the run (id or unique prefix)
  --rates R,...          fractions of connections to remove (default ${DEFAULT_RATES.join(',')})
  --max-distance D,...   instead (or as well): remove connections longer than D (spatial models)
  --scope S              global (default: rank all layers together) | per-layer
  --rank R               length (default, the paper's: longest connections first) | weight (true |w|, mask included)
  --test-size N          evaluate on the first N test images (default: the run's test set)
  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 an array with, per rate, {rate, sparsity, testAccuracy, testLoss, pruned, total, ...}
  -h, --help             show this help
`;

export const command: Command = { name: 'prune', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  const id = str(p, 'run');
  if (id === undefined) throw new UsageError('missing --run ID');
  // the request the app sends (pruneRun), checked by the same schema
  const request = checkWithSchema(
    PruneRequestSchema,
    definedOnly({
      rates: numList('rates', str(p, 'rates')),
      maxDistances: numList('max-distance', str(p, 'max-distance')),
      scope: choice('scope', str(p, 'scope'), PRUNE_SCOPES),
      testSize: int('test-size', str(p, 'test-size')),
    }),
    { rates: '--rates', maxDistances: '--max-distance', scope: '--scope', testSize: '--test-size' },
  );
  const { maxDistances, testSize } = request;
  const rates = request.rates ?? (maxDistances ? [] : DEFAULT_RATES);
  const scope = request.scope ?? 'global';
  const rank = choice('rank', str(p, 'rank'), PRUNE_RANKS) ?? 'length';
  const results = await withStore(
    str(p, 'db'),
    (store) => pruneRun({ store, id, rates, maxDistances, scope, testSize, rank }),
    'read',
  );
  if (bool(p, 'json')) printJson(ctx.stdout, results);
  else ctx.stdout.write(formatResults(results));
  return 0;
}

/** Evaluate pruned copies of a run's final model; the store is only read. */
export async function pruneRun(opts: {
  store: RunStore;
  id: string;
  rates: number[];
  maxDistances?: number[];
  scope: 'global' | 'per-layer';
  testSize?: number;
  rank?: 'length' | 'weight';
}): Promise<PrunedEvaluation[]> {
  const run = opts.store.getRun(opts.id);
  const model = opts.store.getFinalModel(run.id);
  if (!model) throw new Error(`run ${run.id} has no final model (status ${run.status}); finish or resume it first`);
  const [{ loadDataset }, { evaluatePruned }] = await Promise.all([
    import('../../data/index'),
    import('../../prune/index'),
  ]);
  const testSize = opts.testSize ?? run.config.dataset.testSize;
  const data = loadDataset({ name: run.config.dataset.name, trainSize: 1, ...(testSize ? { testSize } : {}) });
  return evaluatePruned({
    model,
    data,
    rates: opts.rates,
    maxDistances: opts.maxDistances,
    scope: opts.scope,
    rank: opts.rank,
  });
}

function formatResults(rs: PrunedEvaluation[]): string {
  const rows = rs.map((r) => [
    r.rate === null ? '-' : percent(r.rate, 0),
    r.maxDistance === null ? '-' : r.maxDistance.toFixed(3),
    percent(r.sparsity, 2),
    `${thousands(r.total - r.pruned)} / ${thousands(r.total)}`,
    percent(r.testAccuracy),
    r.testLoss.toFixed(4),
  ]);
  return table(['RATE', 'MAX DIST', 'SPARSITY', 'KEPT', 'TEST ACC', 'TEST LOSS'], rows);
}
