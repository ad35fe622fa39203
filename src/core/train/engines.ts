/**
 * The two training engines behind one interface: TensorFlow.js (autodiff, tf.train.adam; every
 * model) and SEN Lab's own WebAssembly SIMD engine (src/core/engine; non-spiking spatial and dense
 * MLPs, selected with kernel 'simd'). Both start from the same initial parameters and the same Rng
 * draws, and their checkpoints resume each other.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from '../../shared/codec';
import type { ModelSpec } from '../../shared/model-spec';
import type { BackendName, RunConfig } from '../../shared/run-config';
import type { Split } from '../data/types';
import { EngineModel, engineBackendLabel, engineThreads } from '../engine/model';
import { initialParams } from '../model/init';
import { initialParamNames, Network, type PruningPolicy } from '../model/network';
import type { Rng } from '../util/rng';
import { currentBackend, loadGradients } from './backend';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointArrays,
  restoreOptimizer,
  type CheckpointMeta,
} from './checkpoint';
import { countCorrect, crossEntropyPerSample, evaluate, type Evaluation } from './evaluate';

type CheckpointFields = Omit<CheckpointMeta, 'kind' | 'paramNames' | 'optimizerNames' | 'optimizerIterations'>;

export interface TrainEngine {
  readonly spec: ModelSpec;
  /** what the run records as its backend: the tfjs backend, or e.g. "sen-simd (2 threads)" */
  readonly backend: BackendName;
  setPruning(policy: PruningPolicy | null): void;
  /** one optimizer step on `size` images; the batch's mean loss and correct count */
  trainBatch(x: Float32Array, y: Int32Array, size: number, spikeRng: Rng): { loss: number; correct: number };
  evaluate(split: Split): Evaluation;
  toArrays(): NamedArray[];
  snapshotArrays(): NamedArray[];
  encodeCheckpoint(meta: CheckpointFields): Promise<Uint8Array>;
  dispose(): void;
}

/** True when `config` trains on the WebAssembly engine (kernel 'simd'). */
export function usesSimdEngine(config: RunConfig): boolean {
  return config.kernel === 'simd';
}

/** What a run of `config` records as its backend, given the tfjs backend in use. */
export function trainingBackend(config: RunConfig, tfBackend: BackendName): BackendName {
  return usesSimdEngine(config) ? engineBackendLabel(engineThreads()) : tfBackend;
}

/** The engine for `config`, fresh (initialised from `rng`) or from a checkpoint. */
export async function createEngine(config: RunConfig, rng: Rng, resume?: Uint8Array): Promise<TrainEngine> {
  const ck = resume ? decodeCheckpoint(resume) : null;
  if (usesSimdEngine(config)) {
    const arrays = ck ? ck.params : initialParams(config.model, rng);
    const model = new EngineModel(config.model, ck ? orderedParams(config.model, arrays) : arrays, {
      learningRate: config.training.learningRate,
      rowsMax: Math.max(config.training.batchSize, EVAL_CHUNK),
      trainRows: config.training.batchSize,
      threads: engineThreads(),
      wiringCost: config.training.wiringCost,
    });
    if (ck) model.adam.restore(ck.meta.optimizerIterations, ck.optimizer);
    return new SimdEngine(model);
  }
  await loadGradients();
  const optimizer = tf.train.adam(config.training.learningRate);
  const net = ck
    ? Network.fromArrays(config.model, ck.params, config.kernel)
    : Network.create(config.model, rng, config.kernel);
  if (ck) await restoreOptimizer(optimizer, ck);
  return new TfjsEngine(net, optimizer, config.model.kind === 'spatial' ? (config.training.wiringCost ?? 0) : 0);
}

const EVAL_CHUNK = 1000;

/** A model's or checkpoint's parameters in creation order (as Network.fromArrays accepts them). */
export function orderedParams(spec: ModelSpec, arrays: NamedArray[]): NamedArray[] {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const names = initialParamNames(spec);
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length) throw new Error(`model parameters missing: ${missing.join(', ')}`);
  return names.map((n) => byName.get(n)!);
}

class TfjsEngine implements TrainEngine {
  readonly spec: ModelSpec;
  readonly backend = currentBackend();
  private readonly vars: tf.Variable[];

  constructor(
    readonly net: Network,
    private readonly optimizer: tf.AdamOptimizer,
    /** lambda of the wiring cost added to the loss (0: none; see Network.wiringCost) */
    private readonly wiringCost = 0,
  ) {
    this.spec = net.spec;
    this.vars = net.variables();
  }

  setPruning(policy: PruningPolicy | null): void {
    this.net.setPruning(policy);
  }

  trainBatch(xs: Float32Array, ys: Int32Array, size: number, spikeRng: Rng): { loss: number; correct: number } {
    const pixels = xs.length / Math.max(1, ys.length);
    const x = tf.tensor2d(xs.subarray(0, size * pixels), [size, pixels]);
    const y = tf.tensor1d(ys.subarray(0, size), 'int32');
    const kept: tf.Tensor[] = [x, y];
    const cost = this.optimizer.minimize(
      () => {
        const logits = this.net.forward(x, { rng: spikeRng });
        kept.push(tf.keep(countCorrect(logits, y)));
        const loss = tf.mean(crossEntropyPerSample(logits, y)) as tf.Scalar;
        return this.wiringCost ? (tf.add(loss, tf.mul(this.net.wiringCost(), this.wiringCost)) as tf.Scalar) : loss;
      },
      true,
      this.vars,
    );
    const out = { loss: cost!.dataSync()[0], correct: kept[2].dataSync()[0] };
    tf.dispose([...kept, cost!]);
    return out;
  }

  evaluate(split: Split): Evaluation {
    return evaluate(this.net, split);
  }

  toArrays(): NamedArray[] {
    return this.net.toArrays();
  }

  snapshotArrays(): NamedArray[] {
    return this.net.snapshotArrays();
  }

  encodeCheckpoint(meta: CheckpointFields): Promise<Uint8Array> {
    return encodeCheckpoint(meta, this.net.toArrays(), this.optimizer);
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }
}

class SimdEngine implements TrainEngine {
  readonly spec: ModelSpec;
  readonly backend: BackendName;

  constructor(readonly model: EngineModel) {
    this.spec = model.spec;
    this.backend = engineBackendLabel(model.threads);
  }

  setPruning(policy: PruningPolicy | null): void {
    this.model.setPruning(policy);
  }

  trainBatch(x: Float32Array, y: Int32Array, size: number, spikeRng: Rng): { loss: number; correct: number } {
    const s = this.model.trainBatch(x, y, size, spikeRng);
    return { loss: s.lossSum / size, correct: s.correct };
  }

  evaluate(split: Split): Evaluation {
    return evaluate(this.model, split, EVAL_CHUNK);
  }

  toArrays(): NamedArray[] {
    return this.model.toArrays();
  }

  snapshotArrays(): NamedArray[] {
    return this.model.snapshotArrays();
  }

  encodeCheckpoint(meta: CheckpointFields): Promise<Uint8Array> {
    return Promise.resolve(
      encodeCheckpointArrays(meta, this.model.toArrays(), this.model.optimizerArrays(), this.model.adam.iterations),
    );
  }

  dispose(): void {
    this.model.dispose();
  }
}
