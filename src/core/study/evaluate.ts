/**
 * Evaluating pruned copies of a stored model: the job description shared by the in-thread
 * evaluator (CLI) and the worker-thread one (./prune-host.ts, for the Electron main process).
 */
import { decodeArrays } from '../../shared/codec';
import type { PruneScope } from '../../shared/lab-api';
import type { ModelSpec } from '../../shared/model-spec';
import type { DatasetSpec } from '../../shared/run-config';
import { connectionMagnitudes, paramMap } from '../prune/magnitudes';
import type { PrunedEvaluation } from '../prune/post-training';
import { pruneByRate } from '../prune/select';

/** One evaluation job: a final model, the test set to use and what to prune. */
export interface PruneJob {
  /** encodeArrays() bytes with meta { kind: 'model', spec } */
  model: Uint8Array;
  /** the data set; only its test split is used (trainSize is forced to 1 when loading) */
  dataset: DatasetSpec;
  rates?: number[];
  maxDistances?: number[];
  scope?: PruneScope;
}

/** Evaluates a job somewhere (this thread, a worker) with `evaluatePruned`'s semantics. */
export type PruneEvaluator = (job: PruneJob) => Promise<PrunedEvaluation[]>;

/** The data set spec that loads only what evaluation needs: one training image, the test split. */
export function testOnly(dataset: DatasetSpec, testSize?: number): DatasetSpec {
  const size = testSize ?? dataset.testSize;
  return { name: dataset.name, trainSize: 1, ...(size !== undefined ? { testSize: size } : {}) };
}

/**
 * Evaluates `job` in the calling thread (loads TensorFlow.js on first use). Fine for the CLI;
 * the Electron main process uses a PruneWorker instead.
 */
export const evaluateInThread: PruneEvaluator = async (job) => {
  const [{ loadDataset }, { evaluatePruned }] = await Promise.all([
    import('../data/index'),
    import('../prune/post-training'),
  ]);
  const data = loadDataset(testOnly(job.dataset));
  return evaluatePruned({ model: job.model, data, rates: job.rates, maxDistances: job.maxDistances, scope: job.scope });
};

/**
 * The fraction of connections `pruneByRate` removes from this model at `rate`: the rate itself
 * up to rounding to whole connections (per layer with scope 'per-layer'). Pure JS, no TensorFlow.
 */
export function achievedSparsity(model: Uint8Array, rate: number, scope: PruneScope): number {
  const { meta, arrays } = decodeArrays<{ kind: string; spec: ModelSpec }>(model);
  if (meta?.kind !== 'model') throw new Error('not a SEN Lab model');
  const masks = pruneByRate(connectionMagnitudes(meta.spec, paramMap(arrays)), rate, scope);
  return masks.pruned / masks.total;
}
