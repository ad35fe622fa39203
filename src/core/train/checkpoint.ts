import * as tf from '@tensorflow/tfjs-core';
import { decodeArrays, encodeArrays, type NamedArray } from '../../shared/codec';
import type { EpochMetrics, RunConfig } from '../../shared/run-config';

/** What a checkpoint's header records besides the arrays. */
export interface CheckpointMeta {
  kind: 'checkpoint';
  /** the last finished epoch */
  epoch: number;
  rngState: number[];
  history: EpochMetrics[];
  config: RunConfig;
  paramNames: string[];
  optimizerNames: string[];
  optimizerIterations: number;
  /**
   * Adam's bias-correction accumulators beta1^t and beta2^t exactly as training built them (by
   * repeated float32 multiplication). tfjs's `setWeights` would recompute them as pow(beta, t), which
   * differs in the last bits after a few hundred steps and makes a resumed run drift. Absent in
   * checkpoints written before 2026-12-05 (those resume with pow, as before).
   */
  adam?: { accBeta1: number; accBeta2: number };
  /**
   * Present when training stopped inside an epoch ("stop now"): where to continue. `epoch` above
   * stays the last finished epoch and `rngState` is the state before this epoch's shuffle, so the
   * same data order is drawn again on resume.
   */
  partial?: PartialEpoch;
}

/** An epoch stopped after `batch` of its batches, with what is needed to finish it exactly. */
export interface PartialEpoch {
  /** the epoch in progress (meta.epoch + 1) */
  epoch: number;
  /** batches of it already trained */
  batch: number;
  /** state of the rate-coding spike stream of this epoch (spiking models; drawn per batch) */
  spikeRngState: number[];
  /** running sums of the epoch's training metrics so far */
  lossSum: number;
  correct: number;
  seen: number;
  /** training time of the epoch so far */
  elapsedMs: number;
}

/** The accumulators tfjs's AdamOptimizer keeps as protected variables. */
interface AdamAccumulators {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

const OPT = 'opt/';

/** Parameters, Adam state (moments in variable order) and RNG state, enough to resume exactly. */
export async function encodeCheckpoint(
  meta: Omit<CheckpointMeta, 'kind' | 'paramNames' | 'optimizerNames' | 'optimizerIterations' | 'adam'>,
  params: NamedArray[],
  optimizer: tf.Optimizer,
): Promise<Uint8Array> {
  const weights = await optimizer.getWeights();
  const [iter, ...moments] = weights;
  const optArrays: NamedArray[] = moments.map((w, i) => ({
    name: `${OPT}${i}`,
    shape: w.tensor.shape.slice(),
    data: Float32Array.from(w.tensor.dataSync() as Float32Array),
  }));
  const iterations = iter ? (iter.tensor.dataSync()[0] ?? 0) : 0;
  if (iter) iter.tensor.dispose(); // saveIterations() makes a fresh scalar each call
  return encodeCheckpointArrays({ ...meta, ...adamAccumulators(optimizer) }, params, optArrays, iterations);
}

/**
 * encodeCheckpoint from plain arrays: `optArrays` named opt/0 … (Adam: every first moment, then every
 * second moment, in parameter order) after `iterations` updates. The WebAssembly engine saves this way.
 */
export function encodeCheckpointArrays(
  meta: Omit<CheckpointMeta, 'kind' | 'paramNames' | 'optimizerNames' | 'optimizerIterations'>,
  params: NamedArray[],
  optArrays: NamedArray[],
  iterations: number,
): Uint8Array {
  const full: CheckpointMeta = {
    ...meta,
    kind: 'checkpoint',
    paramNames: params.map((p) => p.name),
    optimizerNames: optArrays.map((a) => a.name),
    optimizerIterations: iterations,
  };
  return encodeArrays([...params, ...optArrays], full);
}

export interface DecodedCheckpoint {
  meta: CheckpointMeta;
  params: NamedArray[];
  optimizer: NamedArray[];
}

export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  const { meta, arrays } = decodeArrays<CheckpointMeta>(bytes);
  if (!meta || meta.kind !== 'checkpoint') throw new Error('not a SEN Lab checkpoint');
  return {
    meta,
    params: arrays.filter((a) => !a.name.startsWith(OPT)),
    optimizer: arrays.filter((a) => a.name.startsWith(OPT)),
  };
}

/** Restores Adam's iteration count and moments (in the order they were saved). */
export async function restoreOptimizer(optimizer: tf.Optimizer, decoded: DecodedCheckpoint): Promise<void> {
  if (decoded.optimizer.length === 0) return;
  const values: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(decoded.meta.optimizerIterations, 'int32') },
    ...decoded.optimizer.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape) })),
  ];
  await optimizer.setWeights(values);
  tf.dispose(values.map((v) => v.tensor));
  const acc = optimizer as unknown as AdamAccumulators;
  const saved = decoded.meta.adam;
  if (saved && acc.accBeta1 && acc.accBeta2) {
    tf.tidy(() => {
      acc.accBeta1!.assign(tf.scalar(saved.accBeta1));
      acc.accBeta2!.assign(tf.scalar(saved.accBeta2));
    });
  }
}

/** Adam's accumulators as stored in the checkpoint meta (nothing for other optimizers). */
function adamAccumulators(optimizer: tf.Optimizer): Pick<CheckpointMeta, 'adam'> {
  const acc = optimizer as unknown as AdamAccumulators;
  if (!acc.accBeta1 || !acc.accBeta2) return {};
  return { adam: { accBeta1: acc.accBeta1.dataSync()[0], accBeta2: acc.accBeta2.dataSync()[0] } };
}
