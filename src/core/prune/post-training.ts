import { decodeArrays } from '../../shared/codec';
import type { PruneResult } from '../../shared/lab-api';
import type { ModelSpec } from '../../shared/model-spec';
import type { Dataset } from '../data/types';
import { Network } from '../model/network';
import { initBackend } from '../train/backend';
import { evaluate } from '../train/evaluate';
import { connectionMagnitudes, paramMap } from './magnitudes';
import { pruneByRate, pruneByThreshold, type KeepMasks, type PruneScope } from './select';

/** One pruned copy of a model evaluated on the test set (the contract's PruneResult). */
export type PrunedEvaluation = PruneResult;

export interface PostTrainingOptions {
  /** a final model: encodeArrays() bytes with meta { kind: 'model', spec } */
  model: Uint8Array;
  data: Dataset;
  /** prune by rate: fractions in [0, 1) */
  rates?: number[];
  /** prune by distance (spatial models): remove connections longer than each threshold */
  maxDistances?: number[];
  scope?: PruneScope;
}

/**
 * The paper's post-training pruning (mode a): remove connections from a trained model without
 * fine-tuning and evaluate on the test split. Works on a copy: the stored model is not changed.
 */
export async function evaluatePruned(opts: PostTrainingOptions): Promise<PrunedEvaluation[]> {
  await initBackend();
  const { meta, arrays } = decodeArrays<{ kind: string; spec: ModelSpec }>(opts.model);
  if (meta?.kind !== 'model') throw new Error('not a SEN Lab model');
  const spec = meta.spec;
  const magnitudes = connectionMagnitudes(spec, paramMap(arrays));
  const net = Network.fromArrays(spec, arrays);
  try {
    const results: PrunedEvaluation[] = [];
    const run = (masks: KeepMasks, rate: number | null, maxDistance: number | null): void => {
      net.setPruning({ kind: 'fixed', keep: masks.keep });
      const test = evaluate(net, opts.data.test);
      results.push({
        rate,
        maxDistance,
        sparsity: masks.pruned / masks.total,
        pruned: masks.pruned,
        total: masks.total,
        prunedPerLayer: masks.prunedPerLayer,
        testAccuracy: test.accuracy,
        testLoss: test.loss,
      });
    };
    for (const rate of opts.rates ?? []) run(pruneByRate(magnitudes, rate, opts.scope ?? 'global'), rate, null);
    for (const d of opts.maxDistances ?? []) {
      if (spec.kind !== 'spatial') throw new Error('distance-threshold pruning needs a spatial model');
      if (!(d > 0)) throw new Error(`distance threshold must be > 0, got ${d}`);
      run(pruneByThreshold(magnitudes, 1 / d), null, d);
    }
    return results;
  } finally {
    net.dispose();
  }
}
