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
}

const OPT = 'opt/';

/** Parameters, Adam state (moments in variable order) and RNG state, enough to resume exactly. */
export async function encodeCheckpoint(
  meta: Omit<CheckpointMeta, 'kind' | 'paramNames' | 'optimizerNames' | 'optimizerIterations'>,
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
  return encodeCheckpointArrays(meta, params, optArrays, iterations);
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
}
