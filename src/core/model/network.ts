import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from '../../shared/codec';
import type { HiddenActivation, ModelSpec, SpatialModelSpec } from '../../shared/model-spec';
import type { PruneRank, SpatialKernelName } from '../../shared/run-config';
import type { Rng } from '../util/rng';
import { linear } from './kernels/linear';
import { wiringCost } from './kernels/wiring-cost';
import { SPATIAL_KERNELS, type SpatialWeightInputs, type SpatialWeightsKernel } from './kernels/spatial-weights';
import { distanceParamNames, kernelName, kernelTheta, learnsDistance } from './kernels/distance';
import type { ForwardNetwork, ForwardOptions } from './forward-types';
import { initialParams } from './init';
import { spikingForward } from '../snn/spiking-forward';
import { spikingParamNames } from '../snn/spec';
import { connectionMagnitudes } from '../prune/magnitudes';
import { pruneByRate, type PruneScope } from '../prune/select';

let instances = 0;

/** How connections are removed in the forward pass (gradients flow only through kept ones). */
export type PruningPolicy =
  /** a fixed set of connections removed (post-training pruning, threshold slider) */
  | { kind: 'fixed'; keep: Float32Array[] }
  /** recomputed from the current weights at every forward pass (pruning during training) */
  | { kind: 'dynamic'; rate: () => number; scope: PruneScope; rank?: PruneRank };

export type { ForwardOptions } from './forward-types';

/**
 * A trainable network (spatial or dense) whose parameters live in tfjs variables.
 *
 * Parameter names (see docs/model-format.md):
 *   spatial: pos.{l} [n_l, d-1], z.{l} [n_l] (relaxed), gap.{l} [1] (learned-gap, between l and l+1),
 *            inhib.{l} [n_l] (l < L-1, raw v: mask = 2*sigmoid(k*v) - 1), bias.{l} [n_l] (l >= 1),
 *            dist.{l} [1] (learned distance-kernel parameter p / lambda / sigma of layer pair l)
 *   dense:   weight.{l} [n_l, n_{l+1}], bias.{l} [n_l] (l >= 1)
 *
 * Forward (spatial): h_{l+1} = f( (h_l @ W'_l) + b_{l+1} ), W'_l[i, j] = mask_i * K(||p_i - p_j||), K = 1/d by
 * default (other kernels: ./kernels/distance.ts).
 */
export class Network implements ForwardNetwork {
  readonly spec: ModelSpec;
  private readonly vars = new Map<string, tf.Variable>();
  private readonly consts: tf.Tensor[] = [];
  private readonly zPairs: { zIn: tf.Tensor1D; zOut: () => tf.Tensor1D }[] = [];
  /** the fixed kernel parameter (a constant) when it is not learned */
  private fixedTheta: tf.Scalar | null = null;
  private readonly kernel: SpatialWeightsKernel;
  private readonly prefix = `sen${++instances}/`;
  private pruning: PruningPolicy | null = null;
  private fixedKeep: tf.Tensor2D[] | null = null;
  /** connections removed in the last forward pass (null without pruning) */
  lastPruning: { pruned: number; total: number } | null = null;

  private constructor(spec: ModelSpec, arrays: NamedArray[], kernel: SpatialKernelName) {
    this.spec = spec;
    this.kernel = SPATIAL_KERNELS[kernel];
    for (const a of arrays) {
      const init = tf.tensor(a.data, a.shape);
      this.vars.set(a.name, tf.variable(init, true, this.prefix + a.name));
      init.dispose(); // the variable holds its own reference to the data
    }
    if (spec.kind === 'spatial') this.buildZ(spec);
    if (spec.kind === 'spatial' && kernelName(spec) !== 'inverse' && !learnsDistance(spec)) {
      // made here, not lazily in a forward pass, so no tf.tidy can dispose it
      this.fixedTheta = tf.keep(tf.scalar(kernelTheta(spec)));
      this.consts.push(this.fixedTheta);
    }
  }

  /** A freshly initialised network (initialisation documented in ./init.ts). */
  static create(spec: ModelSpec, rng: Rng, kernel: SpatialKernelName = 'fused'): Network {
    return new Network(spec, initialParams(spec, rng), kernel);
  }

  /** A network with the given parameter values (a checkpoint or a final model). */
  static fromArrays(spec: ModelSpec, arrays: NamedArray[], kernel: SpatialKernelName = 'fused'): Network {
    const expected = initialParamNames(spec);
    const names = new Set(arrays.map((a) => a.name));
    const missing = expected.filter((n) => !names.has(n));
    if (missing.length) throw new Error(`model parameters missing: ${missing.join(', ')}`);
    return new Network(
      spec,
      arrays.filter((a) => expected.includes(a.name)),
      kernel,
    );
  }

  /** Trainable variables in a fixed order (the optimizer's state is stored in this order). */
  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  param(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter "${name}"`);
    return v;
  }

  /** Logits [batch, classes] for inputs [batch, n_0]. */
  forward(x: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor2D {
    if (this.spec.spiking) return spikingForward(this, x, this.spec.spiking, opts);
    return this.layerOutputs(x)[this.spec.layers.length - 2];
  }

  /** Every layer's output for inputs [batch, n_0]: the hidden activations, then the logits (non-spiking). */
  layerOutputs(x: tf.Tensor2D): tf.Tensor2D[] {
    const L = this.spec.layers.length;
    const weights = this.effectiveWeights();
    const out: tf.Tensor2D[] = [];
    let h = x;
    for (let l = 0; l + 1 < L; l++) {
      const w = weights[l];
      const pre = tf.add(linear(h, w, l > 0), this.param(`bias.${l + 1}`)) as tf.Tensor2D;
      h = l + 2 < L ? activate(pre, this.spec.hiddenActivation) : pre;
      out.push(h);
    }
    return out;
  }

  /** Every layer's weight matrix as the forward pass uses it: W'_l with the pruning mask applied. */
  effectiveWeights(): tf.Tensor2D[] {
    const keep = this.keepMasks();
    const out: tf.Tensor2D[] = [];
    for (let l = 0; l + 1 < this.spec.layers.length; l++) {
      const w = this.layerWeights(l);
      out.push(keep ? (tf.mul(w, keep[l]) as tf.Tensor2D) : w);
    }
    return out;
  }

  /** Sets (or clears, with null) the pruning applied by every later forward pass. */
  setPruning(policy: PruningPolicy | null): void {
    tf.dispose(this.fixedKeep ?? []);
    this.fixedKeep = null;
    this.pruning = policy;
    this.lastPruning = null;
    if (policy?.kind === 'fixed') {
      this.fixedKeep = policy.keep.map((k, l) => tf.tensor2d(k, [this.spec.layers[l], this.spec.layers[l + 1]]));
      const pruned = policy.keep.reduce((s, k) => s + k.reduce((a, v) => a + (v === 0 ? 1 : 0), 0), 0);
      this.lastPruning = { pruned, total: policy.keep.reduce((s, k) => s + k.length, 0) };
    }
  }

  /** Current parameter values by name (copies from the backend). */
  paramValues(): Map<string, Float32Array> {
    return new Map([...this.vars.entries()].map(([name, v]) => [name, v.dataSync() as Float32Array]));
  }

  private keepMasks(): tf.Tensor2D[] | null {
    const p = this.pruning;
    if (!p) return null;
    if (p.kind === 'fixed') return this.fixedKeep;
    const rate = p.rate();
    if (rate <= 0) {
      this.lastPruning = null;
      return null;
    }
    const masks = pruneByRate(connectionMagnitudes(this.spec, this.paramValues(), p.rank), rate, p.scope);
    this.lastPruning = { pruned: masks.pruned, total: masks.total };
    return masks.keep.map((k, l) => tf.tensor2d(k, [this.spec.layers[l], this.spec.layers[l + 1]]));
  }

  /** The weight matrix W'_l before pruning (mask folded in for spatial layers), [n_l, n_{l+1}]. */
  layerWeights(l: number): tf.Tensor2D {
    const spec = this.spec;
    if (spec.kind === 'dense') return this.param(`weight.${l}`) as tf.Tensor2D;
    return this.kernel(this.layerInputs(l));
  }

  /**
   * The wiring cost sum_l sum_ij |W'_ij| d_ij over every spatial connection (pruned ones included),
   * differentiable; see ./kernels/wiring-cost.ts. With the inverse kernel it is nOut * sum |mask_i|.
   */
  wiringCost(): tf.Scalar {
    if (this.spec.kind !== 'spatial') throw new Error('the wiring cost needs a spatial model');
    const terms: tf.Scalar[] = [];
    for (let l = 0; l + 1 < this.spec.layers.length; l++) terms.push(wiringCost(this.layerInputs(l)));
    return tf.addN(terms) as tf.Scalar;
  }

  private layerInputs(l: number): SpatialWeightInputs {
    const { zIn, zOut } = this.zPairs[l];
    return {
      pIn: this.param(`pos.${l}`) as tf.Tensor2D,
      pOut: this.param(`pos.${l + 1}`) as tf.Tensor2D,
      zIn,
      zOut: zOut(),
      mask: this.mask(l),
      eps: (this.spec as SpatialModelSpec).distanceEpsilon,
      kernel: this.distanceKernel(l),
    };
  }

  /** The layer pair's distance kernel with its parameter as a tensor (a variable when learned). */
  private distanceKernel(l: number): SpatialWeightInputs['kernel'] {
    const spec = this.spec as SpatialModelSpec;
    const name = kernelName(spec);
    if (name === 'inverse') return undefined;
    if (learnsDistance(spec)) return { name, theta: this.param(`dist.${l}`) };
    return { name, theta: this.fixedTheta! };
  }

  /** mask_l = 2 * sigmoid(k * v_l) - 1, the sign-and-strength of each presynaptic neuron's output. */
  mask(l: number): tf.Tensor1D {
    const k = (this.spec as SpatialModelSpec).inhibitionSteepness;
    return tf.sub(tf.mul(tf.sigmoid(tf.mul(this.param(`inhib.${l}`), k)), 2), 1) as tf.Tensor1D;
  }

  /** Every parameter as plain arrays (copies). */
  toArrays(): NamedArray[] {
    return [...this.vars.entries()].map(([name, v]) => ({
      name,
      shape: v.shape.slice(),
      data: Float32Array.from(v.dataSync() as Float32Array),
    }));
  }

  /** The geometric state a replay needs: positions, z, gaps, inhibition values. */
  snapshotArrays(): NamedArray[] {
    return this.toArrays().filter((a) => /^(pos|z|gap|inhib|dist)\./.test(a.name));
  }

  dispose(): void {
    this.setPruning(null);
    for (const v of this.vars.values()) v.dispose();
    tf.dispose(this.consts);
    this.vars.clear();
  }

  /** z coordinates per layer pair: relaxed uses each neuron's own z; gap modes put layer l at 0 and l+1 at the gap. */
  private buildZ(spec: SpatialModelSpec): void {
    const n = spec.layers;
    for (let l = 0; l + 1 < n.length; l++) {
      if (spec.zMode === 'relaxed') {
        this.zPairs.push({
          zIn: this.param(`z.${l}`) as tf.Tensor1D,
          zOut: () => this.param(`z.${l + 1}`) as tf.Tensor1D,
        });
        continue;
      }
      const zIn = tf.zeros([n[l]]) as tf.Tensor1D;
      const ones = tf.ones([n[l + 1]]) as tf.Tensor1D;
      this.consts.push(zIn, ones);
      const zOut =
        spec.zMode === 'learned-gap' ? () => tf.mul(ones, this.param(`gap.${l}`)) as tf.Tensor1D : () => ones;
      this.zPairs.push({ zIn, zOut });
    }
  }
}

function activate(x: tf.Tensor2D, f: HiddenActivation): tf.Tensor2D {
  if (f === 'relu') return tf.relu(x);
  if (f === 'tanh') return tf.tanh(x);
  return tf.sigmoid(x);
}

/** Names of every parameter a spec has, in creation order. */
export function initialParamNames(spec: ModelSpec): string[] {
  const L = spec.layers.length;
  const names: string[] = [];
  if (spec.kind === 'dense') {
    for (let l = 0; l + 1 < L; l++) names.push(`weight.${l}`, `bias.${l + 1}`);
    return [...names, ...spikingParamNames(spec)];
  }
  for (let l = 0; l < L; l++) {
    names.push(`pos.${l}`);
    if (spec.zMode === 'relaxed') names.push(`z.${l}`);
    if (l + 1 < L) {
      if (spec.zMode === 'learned-gap') names.push(`gap.${l}`);
      names.push(`inhib.${l}`);
    }
    if (l > 0) names.push(`bias.${l}`);
  }
  // learned kernel parameters dist.{l}, then learned beta.{l} / threshold.{l} of spiking models, last
  return [...names, ...distanceParamNames(spec), ...spikingParamNames(spec)];
}
