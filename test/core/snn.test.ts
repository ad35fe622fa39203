import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedArray } from '../../src/shared/codec';
import type { ModelSpec, SpikingSpec } from '../../src/shared/model-spec';
import { denseSpec, spatialSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { EngineModel } from '../../src/core/engine/model';
import { FusedSpiking } from '../../src/core/engine/snn-fused';
import { recordSpikes, spikeCounts } from '../../src/core/snn/record';
import { spikingSpec } from '../../src/core/snn/spec';
import { initBackend, loadGradients } from '../../src/core/train/backend';
import { crossEntropyPerSample } from '../../src/core/train/evaluate';
import { Rng } from '../../src/core/util/rng';
import { referenceSnn, spatialWeights, type SnnCase, type SpatialSpecLike } from './oracle/reference-snn';

beforeAll(async () => {
  await initBackend();
  await loadGradients(); // these tests take tfjs gradients directly
});

const T = 4;
const B = 3;
const RATE_SEED = 99;

const CASES: [string, ModelSpec][] = [
  [
    'dense, subtract, atan, membrane-sum, direct, learned beta and threshold',
    denseSpec([3, 4, 2], spikingSpec({ timeSteps: T, learnBeta: true, learnThreshold: true })),
  ],
  [
    'dense, zero reset, fast sigmoid, spike-count, rate coding, learned beta and threshold',
    denseSpec(
      [3, 4, 2],
      spikingSpec({
        timeSteps: T,
        reset: 'zero',
        surrogate: 'fast-sigmoid',
        decoding: 'spike-count',
        encoding: 'rate',
        learnBeta: true,
        learnThreshold: true,
      }),
    ),
  ],
  [
    'dense, two hidden layers, subtract, atan slope 5, spike-count',
    denseSpec([3, 5, 4, 2], spikingSpec({ timeSteps: T, surrogateSlope: 5, decoding: 'spike-count', beta: 0.8 })),
  ],
  [
    'dense, zero reset, fast sigmoid, spike-count, two hidden layers (fixed beta and threshold: the SIMD kernels)',
    denseSpec(
      [3, 5, 4, 2],
      spikingSpec({ timeSteps: T, reset: 'zero', surrogate: 'fast-sigmoid', decoding: 'spike-count', beta: 0.8 }),
    ),
  ],
  [
    'dense 3-8-2, zero reset, fast sigmoid, spike-count (one hidden layer, direct coding: the fused kernels)',
    denseSpec(
      [3, 8, 2],
      spikingSpec({ timeSteps: T, reset: 'zero', surrogate: 'fast-sigmoid', decoding: 'spike-count', beta: 0.8 }),
    ),
  ],
  [
    'dense 3-8-4-2, subtract, atan, membrane-sum (spike inputs of width 8 and 4: the narrow kernels)',
    denseSpec([3, 8, 4, 2], spikingSpec({ timeSteps: T, beta: 0.9 })),
  ],
  [
    "spatial learned gaps d=3, subtract, atan, membrane-sum (the paper's SNN: the fused kernels)",
    spatialSpec([3, 4, 2], {
      zMode: 'learned-gap',
      initSpread: 1.5,
      initInhibition: 1,
      spiking: spikingSpec({ timeSteps: T }),
    }),
  ],
  [
    'spatial relaxed z d=2, zero reset, fast sigmoid, membrane-sum, rate coding, learned threshold',
    spatialSpec([3, 4, 2], {
      zMode: 'relaxed',
      dim: 2,
      initSpread: 1.5,
      initInhibition: 1,
      spiking: spikingSpec({
        timeSteps: T,
        reset: 'zero',
        surrogate: 'fast-sigmoid',
        encoding: 'rate',
        learnThreshold: true,
      }),
    }),
  ],
];

/** A network whose hidden units spike in a few steps: larger weights, positive biases, beta/threshold off their defaults. */
function spikyNetwork(spec: ModelSpec, rng: Rng): Network {
  const base = Network.create(spec, rng);
  const arrays: NamedArray[] = base.toArrays().map((a) => {
    const data = Float32Array.from(a.data);
    if (a.name.startsWith('weight.')) data.forEach((v, i) => (data[i] = 2.5 * v));
    if (a.name.startsWith('bias.')) data.forEach((_, i) => (data[i] = rng.uniform(0.1, 0.6)));
    if (a.name.startsWith('inhib.')) data.forEach((_, i) => (data[i] = rng.uniform(-0.3, 1))); // mostly excitatory
    if (a.name.startsWith('beta.')) data[0] = 0.9;
    if (a.name.startsWith('threshold.')) data[0] = 0.8;
    return { ...a, data };
  });
  base.dispose();
  return Network.fromArrays(spec, arrays);
}

function tfjsGradients(
  net: Network,
  x: number[][],
  labels: number[],
): { loss: number; grads: Map<string, Float32Array> } {
  const xs = tf.tensor2d(x);
  const ys = tf.tensor1d(labels, 'int32');
  const vars = net.variables();
  const { value, grads } = tf.variableGrads(
    () => tf.mean(crossEntropyPerSample(net.forward(xs, { rng: Rng.fromSeed(RATE_SEED) }), ys)) as tf.Scalar,
    vars,
  );
  const out = new Map<string, Float32Array>();
  for (const v of vars) out.set(v.name.slice(v.name.indexOf('/') + 1), Float32Array.from(grads[v.name].dataSync()));
  const loss = value.dataSync()[0];
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  return { loss, grads: out };
}

/** The oracle's inputs: x at every step, or Bernoulli(x) drawn in the engine's documented order (t, b, i). */
function encodedInputs(spec: SpikingSpec, x: number[][]): number[][][] {
  if (spec.encoding === 'direct') return Array.from({ length: spec.timeSteps }, () => x);
  const rng = Rng.fromSeed(RATE_SEED);
  return Array.from({ length: spec.timeSteps }, () => x.map((row) => row.map((v) => (rng.next() < v ? 1 : 0))));
}

function oracleCase(spec: ModelSpec, params: Map<string, Float64Array>, x: number[][], labels: number[]): SnnCase {
  const s = spec.spiking!;
  const L = spec.layers.length;
  const layerIdx = Array.from({ length: L - 1 }, (_, l) => l);
  return {
    layers: spec.layers,
    weights: layerIdx.map((l) =>
      spec.kind === 'dense' ? params.get(`weight.${l}`)! : spatialWeights(spec as SpatialSpecLike, params, l),
    ),
    biases: layerIdx.map((l) => params.get(`bias.${l + 1}`)!),
    beta: layerIdx.map((l) => (s.learnBeta ? params.get(`beta.${l + 1}`)![0] : s.beta)),
    threshold: layerIdx.map((l) => (s.learnThreshold ? params.get(`threshold.${l + 1}`)![0] : s.threshold)),
    spec: s,
    inputs: encodedInputs(s, x),
    labels,
  };
}

/** dL/dtheta for a spatial parameter: sum_ij dL/dW'_ij * dW'_ij/dtheta, the inner derivative by float64 central differences. */
function chainSpatial(
  spec: ModelSpec,
  params: Map<string, Float64Array>,
  dW: Float64Array[],
  name: string,
  k: number,
): number {
  const values = params.get(name)!;
  const keep = values[k];
  const h = 1e-6;
  let total = 0;
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    values[k] = keep + h;
    const up = spatialWeights(spec as SpatialSpecLike, params, l);
    values[k] = keep - h;
    const down = spatialWeights(spec as SpatialSpecLike, params, l);
    values[k] = keep;
    for (let i = 0; i < up.length; i++) total += dW[l][i] * ((up[i] - down[i]) / (2 * h));
  }
  return total;
}

function reference(
  spec: ModelSpec,
  res: ReturnType<typeof referenceSnn>,
  params: Map<string, Float64Array>,
  name: string,
  k: number,
): number {
  const [kind, idx] = name.split('.');
  const l = Number(idx);
  if (kind === 'weight') return res.grads.weights[l][k];
  if (kind === 'bias') return res.grads.biases[l - 1][k];
  if (kind === 'beta') return res.grads.beta[l - 1];
  if (kind === 'threshold') return res.grads.threshold[l - 1];
  return chainSpatial(spec, params, res.grads.weights, name, k);
}

/** The simd engine's loss and gradients on `threads` threads (every kernel call split: splitMinWork 0). */
function engineGradients(
  net: Network,
  x: number[][],
  labels: number[],
  threads: number,
): { loss: number; grads: Map<string, Float32Array> } {
  const model = new EngineModel(net.spec, net.toArrays(), {
    learningRate: 0.01,
    rowsMax: x.length,
    threads,
    splitMinWork: 0,
  });
  try {
    const r = model.gradients(Float32Array.from(x.flat()), Int32Array.from(labels), x.length, Rng.fromSeed(RATE_SEED));
    return { loss: r.stats.lossSum / x.length, grads: r.grads };
  } finally {
    model.dispose();
  }
}

const ENGINES: [string, (net: Network, x: number[][], labels: number[]) => ReturnType<typeof tfjsGradients>][] = [
  ['tfjs', tfjsGradients],
  ['simd engine, 1 thread', (net, x, labels) => engineGradients(net, x, labels, 1)],
  ['simd engine, 2 threads', (net, x, labels) => engineGradients(net, x, labels, 2)],
];

describe.each(CASES)('spiking gradients match a float64 BPTT oracle: %s', (_label, spec) => {
  it.each(ENGINES)('loss, logits and the gradient of every parameter (%s)', (_engine, gradients) => {
    const rng = Rng.fromSeed(5);
    const net = spikyNetwork(spec, rng);
    const x = Array.from({ length: B }, () =>
      Array.from({ length: spec.layers[0] }, () => Math.fround(rng.uniform(0, 1))),
    );
    const labels = Array.from({ length: B }, () => rng.int(2));
    const { loss, grads } = gradients(net, x, labels);
    const params = new Map(net.toArrays().map((a) => [a.name, Float64Array.from(a.data)]));
    net.dispose();
    const res = referenceSnn(oracleCase(spec, params, x, labels));
    // float32 and float64 see the same spikes only if no membrane sits on the threshold
    expect(res.margin).toBeGreaterThan(1e-3);
    // the case is not trivial: every spiking layer fires, and not always
    for (const layer of res.spikes) {
      const all = layer.flat(2);
      expect(all.some((s) => s === 1)).toBe(true);
      expect(all.some((s) => s === 0)).toBe(true);
    }
    expect(Math.abs(loss - res.loss)).toBeLessThan(1e-5 + 1e-5 * res.loss);
    let checked = 0;
    let nonzero = 0;
    for (const [name, g] of grads) {
      for (let k = 0; k < g.length; k++) {
        const want = reference(spec, res, params, name, k);
        expect(Math.abs(g[k] - want), `${name}[${k}]: tfjs ${g[k]} vs oracle ${want}`).toBeLessThan(
          2e-5 + 1e-3 * Math.abs(want),
        );
        checked++;
        if (Math.abs(want) > 1e-6) nonzero++;
      }
    }
    expect(checked).toBe([...params.values()].reduce((s, v) => s + v.length, 0));
    expect(nonzero).toBeGreaterThan(checked / 3);
  });
});

/**
 * One LIF neuron (a 1-1 dense network, weight 1, bias 0) driven by the constant current 0.3,
 * beta 0.95, threshold 1. By hand: until the first spike U[t] = 0.3 * sum_{k<=t} 0.95^k
 * = 6 (1 - 0.95^(t+1)): 0.3, 0.585, 0.85575, 1.1129625 > 1, so the first spike is at t = 3.
 * Reset to zero restarts the same ramp, so it fires every 4th step (t = 3, 7, 11, 15).
 * Subtraction keeps the excess: U[4] = 0.95 * 1.1129625 + 0.3 - 1 = 0.357314..., the excess
 * builds up and the 5th spike comes one step early (t = 18 instead of 19).
 */
describe('membrane traces and spike trains of a hand-computed neuron', () => {
  const T = 19;
  const SUBTRACT = [
    0.3, 0.585, 0.85575, 1.112963, 0.357314, 0.639449, 0.907476, 1.162102, 0.403997, 0.683797, 0.949608, 1.202127,
    0.442021, 0.71992, 0.983924, 1.234728, 0.472991, 0.749342, 1.011875,
  ];
  const RAMP = [0.3, 0.585, 0.85575, 1.112963];
  const ZERO = Array.from({ length: T }, (_, t) => RAMP[t % 4]);

  function neuron(reset: SpikingSpec['reset'], encoding: SpikingSpec['encoding'] = 'direct'): Network {
    const spec = denseSpec([1, 1], spikingSpec({ timeSteps: T, reset, encoding }));
    return Network.fromArrays(spec, [
      { name: 'weight.0', shape: [1, 1], data: Float32Array.of(1) },
      { name: 'bias.1', shape: [1], data: Float32Array.of(0) },
    ]);
  }

  it.each([
    ['subtract', SUBTRACT, [3, 7, 11, 15, 18]],
    ['zero', ZERO, [3, 7, 11, 15]],
  ] as const)('reset %s', (reset, membrane, spikeTimes) => {
    const net = neuron(reset);
    const before = tf.memory().numTensors;
    const rec = recordSpikes(net, [[0.3]]);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    expect(rec.timeSteps).toBe(T);
    expect(rec.layers).toHaveLength(1);
    const [out] = rec.layers;
    expect(out.shape).toEqual([T, 1, 1]);
    out.membrane.forEach((u, t) => expect(u, `U[${t}]`).toBeCloseTo(membrane[t], 5));
    const times = [...out.spikes].flatMap((s, t) => (s === 1 ? [t] : []));
    expect(times).toEqual(spikeTimes);
    expect(spikeCounts(out)[0]).toBe(spikeTimes.length);
    expect(out.spikes.every((s) => s === 0 || s === 1)).toBe(true);
    // membrane-sum decoding: the logit is the mean membrane over the T steps
    expect(rec.logits[0]).toBeCloseTo(membrane.reduce((a, b) => a + b, 0) / T, 5);
    expect(rec.inputSpikes).toBeUndefined();
  });

  it('rate coding: the input spikes are Bernoulli(x) and the same for the same Rng', () => {
    const net = neuron('subtract', 'rate');
    const x = [[0], [1], [0.5]];
    const a = recordSpikes(net, x, { rng: Rng.fromSeed(3) });
    const b = recordSpikes(net, x, { rng: Rng.fromSeed(3) });
    const c = recordSpikes(net, x, { rng: Rng.fromSeed(4) });
    const none = recordSpikes(net, x); // no rng: a fixed seed
    const none2 = recordSpikes(net, x);
    net.dispose();
    const input = a.inputSpikes!;
    expect(input).toHaveLength(T * 3);
    const column = (k: number) => Array.from({ length: T }, (_, t) => input[t * 3 + k]);
    expect(column(0).every((s) => s === 0)).toBe(true); // p = 0 never fires
    expect(column(1).every((s) => s === 1)).toBe(true); // p = 1 always fires
    const half = column(2).reduce((s, v) => s + v, 0);
    expect(half).toBeGreaterThan(3);
    expect(half).toBeLessThan(16);
    expect(b.inputSpikes).toEqual(a.inputSpikes);
    expect(b.layers[0].membrane).toEqual(a.layers[0].membrane);
    expect(c.inputSpikes).not.toEqual(a.inputSpikes);
    expect(none2.inputSpikes).toEqual(none.inputSpikes);
    // the neuron integrates its input spikes: U[t] = 0.95 U[t-1] + s[t] - S[t-1]
    const u = a.layers[0].membrane;
    const s = a.layers[0].spikes;
    for (let t = 1; t < T; t++) expect(u[t * 3 + 1]).toBeCloseTo(0.95 * u[(t - 1) * 3 + 1] + 1 - s[(t - 1) * 3 + 1], 5);
  });
});

describe('the simd engine simulates spiking networks with the same bits on any thread count', () => {
  it.each([
    ['rate coding (the step-by-step kernels)', 'rate', false],
    ['direct coding (the fused kernels)', 'direct', true],
  ] as const)('spatial 64-32-10, T = 6, %s: gradients identical for 1, 2 and 3 threads', (_label, encoding, fused) => {
    const spec = spatialSpec([64, 32, 10], {
      initSpread: 3,
      initInhibition: 1,
      spiking: spikingSpec({ timeSteps: 6, encoding }),
    });
    expect(FusedSpiking.fits(spec.layers, spec.spiking!)).toBe(fused);
    const rng = Rng.fromSeed(8);
    const net = spikyNetwork(spec, rng);
    const x = Array.from({ length: 5 }, () => Array.from({ length: 64 }, () => Math.fround(rng.uniform(0, 1))));
    const labels = Array.from({ length: 5 }, () => rng.int(10));
    const [one, ...others] = [1, 2, 3].map((t) => engineGradients(net, x, labels, t));
    net.dispose();
    for (const other of others) {
      expect(other.loss).toBe(one.loss);
      for (const [name, g] of one.grads) expect(Array.from(other.grads.get(name)!), name).toEqual(Array.from(g));
    }
    expect([...one.grads.values()].some((g) => g.some((v) => v !== 0))).toBe(true);
  });
});
