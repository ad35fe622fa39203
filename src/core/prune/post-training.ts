import { decodeArrays } from '../../shared/codec';
import type { PruneResult } from '../../shared/lab-api';
import type { ModelSpec } from '../../shared/model-spec';
import type { PruneRank } from '../../shared/run-config';
import type { Dataset } from '../data/types';
import { EngineModel } from '../engine/model';
import { evaluatePartial, finishEvaluation, type EvaluationPartial } from '../train/evaluate';
import { connectionMagnitudes, paramMap } from './magnitudes';
import { orderedParams } from '../train/engines';
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
  /** spatial ranking: 'length' (default, the paper's) or 'weight' (true |w|) */
  rank?: PruneRank;
}

/**
 * The paper's post-training pruning (mode a): remove connections from a trained model without
 * fine-tuning and evaluate on the test split. Works on a copy: the stored model is not changed.
 */
export async function evaluatePruned(opts: PostTrainingOptions): Promise<PrunedEvaluation[]> {
  return combinePrunedParts([await evaluatePrunedPart(opts, { index: 0, of: 1 })]);
}

/** Which share of the test split a part evaluates: part `index` of `of` (see testRange). */
export interface PartOf {
  index: number;
  of: number;
}

/** One pruned copy evaluated on part of the test split: raw sums, combined by combinePrunedParts. */
export type PrunedPart = Omit<PrunedEvaluation, 'testAccuracy' | 'testLoss'> & { partial: EvaluationPartial };

/** Images per evaluation chunk (evaluate's default); parts are split on chunk boundaries. */
export const EVAL_CHUNK = 1000;

/**
 * The image range [start, end) of part `index` of `of`: whole chunks of EVAL_CHUNK, as even as
 * possible, so the parts' float32 chunk sums are the very ones a single evaluation computes.
 * Spiking models draw their input spikes from one random stream across chunks: part 0 takes all.
 */
export function testRange(count: number, part: PartOf, spiking: boolean): { start: number; end: number } {
  if (spiking || part.of <= 1) return part.index === 0 ? { start: 0, end: count } : { start: count, end: count };
  const chunks = Math.ceil(count / EVAL_CHUNK);
  const edge = (i: number): number => Math.min(count, Math.floor((chunks * i) / part.of) * EVAL_CHUNK);
  return { start: edge(part.index), end: edge(part.index + 1) };
}

/**
 * evaluatePruned on part of the test split (testRange): [] when the part is empty. The parts
 * 0..of-1 of one job, passed in order to combinePrunedParts, give exactly evaluatePruned's results.
 */
export async function evaluatePrunedPart(opts: PostTrainingOptions, part: PartOf): Promise<PrunedPart[]> {
  const { meta, arrays } = decodeArrays<{ kind: string; spec: ModelSpec }>(opts.model);
  if (meta?.kind !== 'model') throw new Error('not a SEN Lab model');
  const spec = meta.spec;
  for (const d of opts.maxDistances ?? []) {
    if (spec.kind !== 'spatial') throw new Error('distance-threshold pruning needs a spatial model');
    if (!(d > 0)) throw new Error(`distance threshold must be > 0, got ${d}`);
  }
  const { start, end } = testRange(opts.data.test.count, part, spec.spiking !== undefined);
  if (start >= end && part.index > 0) return [];
  const magnitudes = connectionMagnitudes(spec, paramMap(arrays), opts.rank);
  // the simd engine, on the calling thread only: the pruning host already runs parts in parallel workers
  const net = new EngineModel(spec, orderedParams(spec, arrays), {
    learningRate: 0,
    rowsMax: EVAL_CHUNK,
    trainRows: 1,
    threads: 1,
  });
  try {
    const results: PrunedPart[] = [];
    const run = (masks: KeepMasks, rate: number | null, maxDistance: number | null): void => {
      net.setPruning({ kind: 'fixed', keep: masks.keep });
      results.push({
        rate,
        maxDistance,
        sparsity: masks.pruned / masks.total,
        pruned: masks.pruned,
        total: masks.total,
        prunedPerLayer: masks.prunedPerLayer,
        partial: evaluatePartial(net, opts.data.test, start, end, EVAL_CHUNK),
      });
    };
    for (const rate of opts.rates ?? []) run(pruneByRate(magnitudes, rate, opts.scope ?? 'global'), rate, null);
    for (const d of opts.maxDistances ?? []) run(pruneByThreshold(magnitudes, 1 / d), null, d);
    return results;
  } finally {
    net.dispose();
  }
}

/** Combines the parts 0..of-1 of one job (in order; empty parts allowed) into its evaluations. */
export function combinePrunedParts(parts: PrunedPart[][]): PrunedEvaluation[] {
  const nonEmpty = parts.filter((p) => p.length > 0);
  const [first] = nonEmpty;
  if (!first) return [];
  return first.map((r, i) => {
    const { partial: _partial, ...rest } = r;
    const test = finishEvaluation(
      nonEmpty.map((p) => {
        const part = p[i];
        if (!part) throw new Error('pruning parts disagree on the number of results');
        return part.partial;
      }),
    );
    return { ...rest, testAccuracy: test.accuracy, testLoss: test.loss };
  });
}
