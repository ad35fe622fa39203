import * as tf from '@tensorflow/tfjs-core';
import type { SpikingSpec } from '../../shared/model-spec';
import { linear } from '../model/kernels/linear';
import type { ForwardNetwork, ForwardOptions } from '../model/forward-types';
import { Rng } from '../util/rng';
import { DEFAULT_RATE_SEED, rateEncode } from './encoding';
import { lifStep } from './lif-step';
import { spike, type Surrogate } from './surrogate';

/** Spike trains and membrane potentials of one spiking layer, [T, batch, n_l] each. */
export interface LayerTrace {
  spikes: tf.Tensor3D;
  membrane: tf.Tensor3D;
}

/** The result of a simulation: logits, and the traces when asked for. */
export interface SpikingRun {
  logits: tf.Tensor2D;
  /** layers 1 … L-1 in order (only when recording) */
  traces?: LayerTrace[];
  /** the rate-coded input spikes [T, batch, n_0] (only when recording a rate-coded model) */
  inputSpikes?: tf.Tensor3D;
}

/**
 * Logits [batch, classes] of a spiking network (leaky integrate-and-fire neurons in every layer
 * after the input, snnTorch's `Leaky`), unrolled over T = spec.timeSteps steps, t = 0 … T-1:
 *   I_1[t]   = X[t] @ W'_0 + b_1            X[t] = x (direct) or Bernoulli(x) spikes (rate)
 *   U_l[t]   = beta_l U_l[t-1] + I_l[t] - S_l[t-1] thr_l      (reset 'subtract')
 *            = beta_l (1 - S_l[t-1]) U_l[t-1] + I_l[t]        (reset 'zero')
 *   S_l[t]   = H(U_l[t] - thr_l)             (surrogate gradient, see ./surrogate.ts)
 *   I_l+1[t] = S_l[t] @ W'_l + b_l+1
 * with U_l[-1] = S_l[-1] = 0, and the output decoded as
 *   'membrane-sum': logits = (1/T) sum_t U_L[t] (the mean)     'spike-count': logits = sum_t S_L[t].
 * W'_l = net.effectiveWeights()[l] (pruning masks applied) is computed once per call. Layers have no recurrent connections, so
 * each layer is simulated over all T steps before the next (same result as step-major order, fewer
 * live tensors). Direct coding computes x @ W'_0 once for all steps. Rate coding draws its spikes
 * from `opts.rng` (a fixed seed without one), see ./encoding.ts.
 * Call inside tf.tidy (or an optimizer step): the returned logits belong to the caller's scope.
 */
export function spikingForward(
  net: ForwardNetwork,
  x: tf.Tensor2D,
  spec: SpikingSpec,
  opts: ForwardOptions = {},
): tf.Tensor2D {
  return simulateSpiking(net, x, spec, opts, false).logits;
}

/** spikingForward, optionally also returning every layer's spike train and membrane trace. */
export function simulateSpiking(
  net: ForwardNetwork,
  x: tf.Tensor2D,
  spec: SpikingSpec,
  opts: ForwardOptions,
  record: boolean,
): SpikingRun {
  const L = net.spec.layers.length;
  const run: SpikingRun = { logits: undefined as unknown as tf.Tensor2D };
  const weights = net.effectiveWeights();
  let currents = inputCurrents(net, x, weights[0], spec, opts, record ? run : undefined);
  const surrogate: Surrogate = { kind: spec.surrogate, slope: spec.surrogateSlope };
  if (record) run.traces = [];
  for (let l = 1; l < L; l++) {
    const last = l === L - 1;
    const layer = simulateLayer(currents, layerConstants(net, spec, l), {
      spec,
      surrogate,
      keepMembranes: record || last,
    });
    if (record)
      run.traces!.push({
        spikes: tf.stack(layer.spikes) as tf.Tensor3D,
        membrane: tf.stack(layer.membranes) as tf.Tensor3D,
      });
    if (last) {
      run.logits = decode(layer, spec);
    } else {
      currents = nextCurrents(layer.spikes, weights[l], net.param(`bias.${l + 1}`));
    }
    if (!record && !last) tf.dispose(layer.spikes);
  }
  return run;
}

/** logits = (1/T) sum_t U_L[t] ('membrane-sum': the mean, so the logit scale does not grow with T) or sum_t S_L[t]. */
function decode(layer: { spikes: tf.Tensor2D[]; membranes: tf.Tensor2D[] }, spec: SpikingSpec): tf.Tensor2D {
  if (spec.decoding === 'spike-count') return tf.addN(layer.spikes) as tf.Tensor2D;
  return tf.mul(tf.addN(layer.membranes), 1 / spec.timeSteps) as tf.Tensor2D;
}

/** I_1[t] for every step: one shared tensor for direct coding, one matmul per step for rate coding. */
function inputCurrents(
  net: ForwardNetwork,
  x: tf.Tensor2D,
  w0: tf.Tensor2D,
  spec: SpikingSpec,
  opts: ForwardOptions,
  run?: SpikingRun,
): tf.Tensor2D[] {
  const bias = net.param('bias.1');
  const T = spec.timeSteps;
  if (spec.encoding === 'direct') {
    const current = tf.add(linear(x, w0, false), bias) as tf.Tensor2D;
    return new Array<tf.Tensor2D>(T).fill(current);
  }
  const [batch, n0] = x.shape;
  const rng = opts.rng ?? Rng.fromSeed(DEFAULT_RATE_SEED);
  const spikes = rateEncode(x.dataSync(), batch, T, rng);
  if (run) run.inputSpikes = tf.tensor3d(spikes, [T, batch, n0]);
  const size = batch * n0;
  return Array.from({ length: T }, (_, t) => {
    const st = tf.tensor2d(spikes.subarray(t * size, (t + 1) * size), [batch, n0]);
    const current = tf.add(linear(st, w0, false), bias) as tf.Tensor2D;
    st.dispose(); // the matmul keeps what its gradient needs
    return current;
  });
}

/**
 * I_l+1[t] = S_l[t] @ W'_l + b_l+1, one matmul per step. (One [T*batch, n_l] matmul would be fewer
 * ops, but splitting its result, or the gradient of a concat, costs a copy of the whole tensor
 * per slice on the wasm backend: 2.6 s of a 3.7 s paper-snn-3d step.)
 */
function nextCurrents(spikes: tf.Tensor2D[], w: tf.Tensor2D, bias: tf.Tensor): tf.Tensor2D[] {
  return spikes.map((s) => tf.add(linear(s, w, true), bias) as tf.Tensor2D);
}

interface LayerConstants {
  /** clamp(beta, 0, 1) as snnTorch does (a tensor variable when learned) */
  beta: tf.Tensor;
  threshold: tf.Tensor;
}

function layerConstants(net: ForwardNetwork, spec: SpikingSpec, l: number): LayerConstants {
  return {
    beta: spec.learnBeta ? tf.clipByValue(net.param(`beta.${l}`), 0, 1) : tf.scalar(spec.beta),
    threshold: spec.learnThreshold ? net.param(`threshold.${l}`) : tf.scalar(spec.threshold),
  };
}

interface LayerOptions {
  spec: SpikingSpec;
  surrogate: Surrogate;
  /** keep U[t] for every t (output layer, recording); otherwise each U[t-1] is released after step t */
  keepMembranes: boolean;
}

/** Unroll one layer of LIF neurons over the T steps of `currents`. */
function simulateLayer(
  currents: tf.Tensor2D[],
  c: LayerConstants,
  o: LayerOptions,
): { spikes: tf.Tensor2D[]; membranes: tf.Tensor2D[] } {
  const { spec } = o;
  const step = { reset: spec.reset, learnBeta: spec.learnBeta, learnThreshold: spec.learnThreshold };
  const spikes: tf.Tensor2D[] = [];
  const membranes: tf.Tensor2D[] = [];
  let u: tf.Tensor2D | null = null;
  for (let t = 0; t < currents.length; t++) {
    const next: tf.Tensor2D =
      u === null ? tf.clone(currents[0]) : lifStep(u, spikes[t - 1], currents[t], c.beta, c.threshold, step);
    if (o.keepMembranes) membranes.push(next);
    else if (u !== null) u.dispose(); // ops that need it for the gradient hold their own reference
    u = next;
    spikes.push(spike(u, c.threshold, o.surrogate, spec.learnThreshold));
  }
  if (!o.keepMembranes) u?.dispose();
  tf.dispose(currents); // consumed (a shared direct-coding current is disposed once)
  return { spikes, membranes };
}
