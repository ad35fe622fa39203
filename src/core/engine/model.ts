import { availableParallelism } from 'node:os';
import type { NamedArray } from '../../shared/codec';
import type { ModelSpec } from '../../shared/model-spec';
import type { BackendName } from '../../shared/run-config';
import { connectionMagnitudes } from '../prune/magnitudes';
import { pruneByRate } from '../prune/select';
import type { PruningPolicy } from '../model/network';
import { Adam } from './adam';
import { Arena, type Buf } from './arena';
import { MlpEngine, softmaxCrossEntropy, type BatchStats } from './mlp';
import { SpikingEngine } from './snn';
import { DEFAULT_RATE_SEED } from '../snn/encoding';
import { Rng } from '../util/rng';
import { layerWeights, type LayerWeights, type ParamArrays } from './layer-weights';

/** What `engineThreads` reads: SEN_LAB_THREADS (1-5), else min(2, available cores). */
export function engineThreads(): number {
  const raw = process.env.SEN_LAB_THREADS;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 5)
      throw new Error(`SEN_LAB_THREADS must be an integer from 1 to 5, not "${raw}"`);
    return n;
  }
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** The backend label a run of the engine records, e.g. "sen-simd (2 threads)". */
export function engineBackendLabel(threads: number): BackendName {
  return `sen-simd (${threads} thread${threads === 1 ? '' : 's'})`;
}

export interface EngineModelOptions {
  learningRate: number;
  /** the most images one pass takes (batch size, evaluation chunk) */
  rowsMax: number;
  /** the most images one training pass takes (spiking models keep every step for those; default rowsMax) */
  trainRows?: number;
  threads: number;
  /** kernel calls with less work stay on one thread (default SPLIT_MIN_WORK; tests use 0) */
  splitMinWork?: number;
  /** lambda of the wiring cost lambda * sum |W'_ij| d_ij added to the loss (spatial models; default 0) */
  wiringCost?: number;
}

/**
 * A model trained by the WebAssembly engine: parameters, their gradients and Adam's moments as
 * Float32Arrays (in the order of the parameter list, as the tfjs Network keeps them), the MLP
 * engine over them, and pruning (a fixed set of masks, or masks recomputed before every pass).
 */
export class EngineModel {
  readonly spec: ModelSpec;
  readonly params: ParamArrays;
  private readonly grads: ParamArrays;
  private readonly list: NamedArray[];
  /** parameters and gradients in the arena (views of the same memory as params / grads), in list order */
  private readonly pBufs: Buf[];
  private readonly gBufs: Buf[];
  private readonly arena: Arena;
  readonly adam: Adam;
  readonly engine: MlpEngine | SpikingEngine;
  private pruning: PruningPolicy | null = null;
  /** the wiring cost's lambda and the layers it reads (own buffers; none without a cost) */
  private readonly wiring: { lambda: number; layers: LayerWeights[] } | null;
  /** connections removed in the last forward pass (null without pruning) */
  lastPruning: { pruned: number; total: number } | null = null;

  constructor(spec: ModelSpec, arrays: NamedArray[], o: EngineModelOptions) {
    this.spec = spec;
    this.arena = new Arena(o.threads, o.splitMinWork);
    this.pBufs = arrays.map((a) => this.arena.floats(a.data.length));
    this.gBufs = arrays.map((a) => this.arena.floats(a.data.length));
    this.pBufs.forEach((b, i) => b.f.set(arrays[i].data));
    this.list = arrays.map((a, i) => ({ name: a.name, shape: a.shape.slice(), data: this.pBufs[i].f }));
    this.params = new Map(this.list.map((a) => [a.name, a.data]));
    this.grads = new Map(this.list.map((a, i) => [a.name, this.gBufs[i].f]));
    this.adam = new Adam(
      this.arena,
      o.learningRate,
      this.list.map((a) => a.data.length),
    );
    this.engine = spec.spiking
      ? new SpikingEngine(spec, this.params, o.rowsMax, o.trainRows ?? o.rowsMax, this.arena)
      : new MlpEngine(spec, this.params, o.rowsMax, this.arena);
    const lambda = spec.kind === 'spatial' ? (o.wiringCost ?? 0) : 0;
    this.wiring = lambda > 0 ? { lambda, layers: layerWeights(spec, this.params) } : null;
  }

  get threads(): number {
    return this.arena.threads;
  }

  setPruning(policy: PruningPolicy | null): void {
    this.pruning = policy;
    this.engine.keep = policy?.kind === 'fixed' ? policy.keep : null;
    this.lastPruning = null;
    if (policy?.kind === 'fixed') {
      const pruned = policy.keep.reduce((s, k) => s + k.reduce((a, v) => a + (v === 0 ? 1 : 0), 0), 0);
      this.lastPruning = { pruned, total: policy.keep.reduce((s, k) => s + k.length, 0) };
    }
  }

  /** Dynamic pruning: the masks for the coming pass from the current weights (as Network.keepMasks). */
  private refreshPruning(): void {
    const p = this.pruning;
    if (p?.kind !== 'dynamic') return;
    const rate = p.rate();
    if (rate <= 0) {
      this.engine.keep = null;
      this.lastPruning = null;
      return;
    }
    const masks = pruneByRate(connectionMagnitudes(this.spec, this.params, p.rank), rate, p.scope);
    this.engine.keep = masks.keep;
    this.lastPruning = { pruned: masks.pruned, total: masks.total };
  }

  /** dL/dparams of the mean cross-entropy of `rows` images (no update; for gradient checks), and the batch stats. */
  gradients(x: Float32Array, y: Int32Array, rows: number, rng?: Rng): { grads: ParamArrays; stats: BatchStats } {
    const stats = this.backprop(x, y, rows, rng);
    return { grads: new Map([...this.grads].map(([k, v]) => [k, Float32Array.from(v)])), stats };
  }

  private backprop(x: Float32Array, y: Int32Array, rows: number, rng = defaultRng()): BatchStats {
    this.refreshPruning();
    for (const g of this.grads.values()) g.fill(0);
    let stats: BatchStats;
    if (this.engine instanceof SpikingEngine) {
      this.engine.forward(x, rows, rng, true);
      stats = this.engine.backward(y, this.grads);
    } else {
      this.engine.forward(x, rows);
      stats = this.engine.backward(y, rows, this.grads);
    }
    return this.wiring ? this.addWiringCost(stats, rows) : stats;
  }

  /** Adds lambda * C to every image's loss (the loss is a mean, so the sum grows by rows * lambda * C) and its gradient. */
  private addWiringCost(stats: BatchStats, rows: number): BatchStats {
    const { lambda, layers } = this.wiring!;
    let cost = 0;
    for (const layer of layers) cost += layer.wiringCost!(lambda, this.grads);
    return { ...stats, lossSum: stats.lossSum + rows * lambda * cost };
  }

  /** One Adam step on the mean cross-entropy of `rows` images; returns the batch's loss sum and correct count. */
  trainBatch(x: Float32Array, y: Int32Array, rows: number, rng?: Rng): BatchStats {
    const stats = this.backprop(x, y, rows, rng);
    this.adam.step(this.pBufs, this.gBufs);
    return stats;
  }

  /** Loss sum and correct count of `rows` images, no training. */
  evaluateBatch(x: Float32Array, y: Int32Array, rows: number, rng = defaultRng()): BatchStats {
    this.refreshPruning();
    const logits =
      this.engine instanceof SpikingEngine ? this.engine.forward(x, rows, rng, false) : this.engine.forward(x, rows);
    return softmaxCrossEntropy(logits, y, rows, this.spec.layers[this.spec.layers.length - 1]);
  }

  /** Every parameter (copies), in creation order. */
  toArrays(): NamedArray[] {
    return this.list.map((a) => ({ name: a.name, shape: a.shape.slice(), data: Float32Array.from(a.data) }));
  }

  /** The geometric state a replay needs: positions, z, gaps, inhibition values. */
  snapshotArrays(): NamedArray[] {
    return this.toArrays().filter((a) => /^(pos|z|gap|inhib|dist)\./.test(a.name));
  }

  /** Adam's moments as checkpoint arrays (see Adam.moments). */
  optimizerArrays(): NamedArray[] {
    return this.adam.moments(this.list.map((a) => a.shape));
  }

  dispose(): void {
    this.arena.dispose();
  }
}

/** Rate coding without a given Rng draws from the fixed default stream (as the tfjs forward pass). */
function defaultRng(): Rng {
  return Rng.fromSeed(DEFAULT_RATE_SEED);
}
