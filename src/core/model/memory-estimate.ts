/**
 * Before a run starts: how many parameters, and how much memory its training will need at its
 * peak. Pure arithmetic on the config (nothing is allocated), used by `train --dry-run`, the
 * New run form (checkConfig) and the refusal of runs that cannot fit.
 */
import type { RunConfig } from '../../shared/run-config';
import { countConnections, countParams } from './param-count';

const F32 = 4;
/** Node, TensorFlow.js (WASM heap, kernels), SQLite and the worker thread before any tensor (measured). */
export const RUNTIME_BYTES = 200 * 1024 * 1024;
/**
 * Bytes per trainable parameter at the peak (measured with dense 784-2048-10, 1.6 M parameters:
 * about 28 float32 copies): value, gradient, Adam's m and v and the temporaries of its update in
 * the WASM heap (which never shrinks), and the checkpoint and final-model encodings in the worker
 * and in the main thread.
 */
export const PARAM_BYTES = 112;
/** Bytes per connection of a spatial layer (measured, 784-2048-10): W' = mask/d, distances, dW' and kernel temporaries. */
export const CONNECTION_BYTES = 36;
/** Training and test images when the config does not say (MNIST's sizes). */
const DEFAULT_TRAIN = 60_000;
const DEFAULT_TEST = 10_000;
/** Test images evaluated per forward pass (src/core/train/evaluate.ts). */
export const EVAL_CHUNK = 1000;

/** One line of the estimate. */
export interface MemoryPart {
  label: string;
  bytes: number;
}

/** The estimate for one config. */
export interface MemoryEstimate {
  params: number;
  /** estimated peak resident memory of the training process, bytes */
  bytes: number;
  parts: MemoryPart[];
}

/**
 * Peak memory of training `config` (float32 everywhere; P parameters, C connections, B batch,
 * N = neurons after the input, T time steps (1 for non-spiking), E = min(1000, test images)):
 *
 *   runtime                         RUNTIME_BYTES
 *   IDX files as read               (max(train, 60000) + max(test, 10000)) n_0   (one byte per pixel)
 *   data set                        4 (train + test) n_0                  (images as float32)
 *   parameters, gradients, Adam     PARAM_BYTES P                         (with copies, see PARAM_BYTES)
 *   spatial weight matrices         CONNECTION_BYTES C (dense: none beyond P)  (+ 8 C with pruning)
 *   the larger of:
 *     training batch activations    4 B (2 n_0 + k T N),  k = 8, spiking k = 5 per step (I, U, S, dU, surrogate)
 *     evaluation chunk              4 E (n_0 + 2 T N)
 *
 * The constants were fitted to measured peak RSS of 1-epoch CLI runs (quick, paper-3d,
 * baseline-2048, paper-snn-3d); README "Memory" lists estimate vs measurement of other configs.
 * An estimate, not a bound: compare it with measured peak RSS (README, "Memory").
 */
export function estimateMemory(config: RunConfig): MemoryEstimate {
  const m = config.model;
  const layers = m.layers;
  const n0 = layers[0];
  const hidden = layers.slice(1).reduce((a, b) => a + b, 0);
  const T = m.spiking ? m.spiking.timeSteps : 1;
  const train = config.dataset.trainSize ?? DEFAULT_TRAIN;
  const test = config.dataset.testSize ?? DEFAULT_TEST;
  const B = Math.min(config.training.batchSize, train);
  const E = Math.min(EVAL_CHUNK, test);
  const P = countParams(m);
  const C = countConnections(layers);
  const perStep = m.spiking ? 5 : 8;
  // dense weights and their gradients are parameters (counted above); spatial ones are derived per step
  const weightMatrices = (m.kind === 'spatial' ? CONNECTION_BYTES * C : 0) + (config.pruning ? 8 * C : 0);
  const batch = F32 * B * (2 * n0 + perStep * T * hidden);
  const evaluation = F32 * E * (n0 + 2 * T * hidden);
  const transient = Math.max(batch, evaluation);
  const steps = T > 1 ? ` x ${T} steps` : '';
  const transientLabel =
    transient === batch ? `training batch activations (${B} images${steps})` : `evaluation (${E} images${steps})`;
  const parts: MemoryPart[] = [
    { label: 'runtime (Node, TensorFlow.js, SQLite, worker)', bytes: RUNTIME_BYTES },
    { label: 'IDX files as read', bytes: (Math.max(train, DEFAULT_TRAIN) + Math.max(test, DEFAULT_TEST)) * n0 },
    { label: `data set (${train + test} images as float32)`, bytes: F32 * (train + test) * n0 },
    { label: `parameters, gradients and Adam state (${P} params)`, bytes: PARAM_BYTES * P },
    { label: `weight matrices (${C} connections)`, bytes: weightMatrices },
    { label: transientLabel, bytes: transient },
  ];
  return { params: P, bytes: parts.reduce((s, p) => s + p.bytes, 0), parts };
}

/** Bytes as "1.2 GB" / "340 MB" (binary units, as RSS is reported). */
export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}
