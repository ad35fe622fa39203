import * as tf from '@tensorflow/tfjs-core';
import { KERNELS, TFJS_BACKENDS } from '../../src/shared/schema/enums';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/shared/model-spec';
import type { SpatialKernelName } from '../../src/shared/run-config';
import { denseSpec, spatialSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { EngineModel } from '../../src/core/engine/model';
import { initBackend, loadGradients, trySetBackend } from '../../src/core/train/backend';
import { crossEntropyPerSample } from '../../src/core/train/evaluate';
import { Rng } from '../../src/core/util/rng';
import { referenceLoss, toParams } from './oracle/reference-net';

/** the backend the trainer picked here; a test that switches to another one switches back */
let picked: string;
beforeAll(async () => {
  picked = await initBackend();
  await loadGradients(); // these tests take tfjs gradients directly
});

/** Switch tfjs to `name`; the reason it cannot be used here (the skip reason), or undefined. */
async function useBackend(name: (typeof TFJS_BACKENDS)[number]): Promise<string | undefined> {
  const why = await trySetBackend(name);
  return why && `backend ${name} does not load here: ${why}`;
}

const layers = [6, 5, 4];
const SPECS: [string, ModelSpec][] = [
  ['fixed gap, d=3', spatialSpec(layers, { zMode: 'fixed-gap', initSpread: 3 })],
  ['learned gaps, d=3', spatialSpec(layers, { zMode: 'learned-gap', initSpread: 3 })],
  ['relaxed z, d=3, eps 0.05', spatialSpec(layers, { zMode: 'relaxed', initSpread: 3 })],
  ['learned gaps, d=5', spatialSpec(layers, { zMode: 'learned-gap', dim: 5, initSpread: 3 })],
  ['two hidden layers, d=2', spatialSpec([6, 5, 3, 4], { zMode: 'learned-gap', dim: 2, initSpread: 3 })],
  ['dense', denseSpec(layers)],
  ['kernel inverse (explicit), relaxed', spatialSpec(layers, { zMode: 'relaxed', initSpread: 3, distance: 'inverse' })],
  ['kernel power p=2 fixed', spatialSpec(layers, { initSpread: 3, distance: 'power', distancePower: 2 })],
  [
    'kernel power p=1.5 learned, relaxed',
    spatialSpec(layers, {
      zMode: 'relaxed',
      initSpread: 3,
      distance: 'power',
      distancePower: 1.5,
      learnDistance: true,
    }),
  ],
  [
    'kernel exponential lambda=1.5 fixed',
    spatialSpec(layers, { initSpread: 3, distance: 'exponential', distanceScale: 1.5 }),
  ],
  [
    'kernel exponential lambda=2 learned, 2 hidden',
    spatialSpec([6, 5, 3, 4], { initSpread: 3, distance: 'exponential', distanceScale: 2, learnDistance: true }),
  ],
  [
    'kernel gaussian sigma=1.5 fixed, eps 0.1',
    spatialSpec(layers, { initSpread: 3, distance: 'gaussian', distanceScale: 1.5, distanceEpsilon: 0.1 }),
  ],
  [
    'kernel gaussian sigma=2 learned, fixed gap',
    spatialSpec(layers, {
      zMode: 'fixed-gap',
      initSpread: 3,
      distance: 'gaussian',
      distanceScale: 2,
      learnDistance: true,
    }),
  ],
  // input widths divisible by 4 and at most 16 outputs: the simd engine's narrow kernels
  ['learned gaps, 8-12-4 (narrow kernels)', spatialSpec([8, 12, 4], { zMode: 'learned-gap', initSpread: 3 })],
  ['dense, 8-12-4 (narrow kernels)', denseSpec([8, 12, 4])],
  // every output width a multiple of 4: the simd engine's spatial kernels (1/d) build both layers
  ['relaxed z, d=4, 6-8-4 (simd spatial kernels)', spatialSpec([6, 8, 4], { zMode: 'relaxed', dim: 4, initSpread: 3 })],
];

function batch(rng: Rng, n0: number, size: number, classes = 4) {
  const x = Array.from({ length: size }, () => Array.from({ length: n0 }, () => rng.uniform(0, 1)));
  const labels = Array.from({ length: size }, () => rng.int(classes));
  return { x, labels };
}

/** Analytic gradients from tfjs, keyed by parameter name. */
function tfjsGrads(net: Network, x: number[][], labels: number[]): Map<string, Float32Array> {
  const xs = tf.tensor2d(x);
  const ys = tf.tensor1d(labels, 'int32');
  const vars = net.variables();
  const { value, grads } = tf.variableGrads(
    () => tf.mean(crossEntropyPerSample(net.forward(xs), ys)) as tf.Scalar,
    vars,
  );
  const out = new Map<string, Float32Array>();
  for (const v of vars) out.set(v.name.slice(v.name.indexOf('/') + 1), grads[v.name].dataSync() as Float32Array);
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  return out;
}

/**
 * Analytic gradients from the WebAssembly engine on `threads` threads, every kernel call split over
 * all of them (splitMinWork 0), so each thread count is really exercised on these tiny layers.
 */
function engineGrads(
  spec: ModelSpec,
  arrays: ReturnType<Network['toArrays']>,
  x: number[][],
  labels: number[],
  threads: number,
) {
  const model = new EngineModel(spec, arrays, { learningRate: 0.01, rowsMax: x.length, threads, splitMinWork: 0 });
  try {
    return model.gradients(Float32Array.from(x.flat()), Int32Array.from(labels), x.length).grads;
  } finally {
    model.dispose();
  }
}

/**
 * Every engine the gradient checks cover: each tfjs-side kernel on every TensorFlow.js backend (a backend
 * that does not load here is a skipped test saying why), the simd engine with 1-3 threads.
 */
const TFJS_SIDE = KERNELS.filter((k) => k !== 'simd');
const ENGINES: { kernel: SpatialKernelName; threads?: number; backend?: (typeof TFJS_BACKENDS)[number] }[] = [
  ...TFJS_BACKENDS.flatMap((backend) => TFJS_SIDE.map((kernel) => ({ kernel, backend }))),
  { kernel: 'simd', threads: 1 },
  { kernel: 'simd', threads: 2 },
  { kernel: 'simd', threads: 3 },
];

it('the gradient matrix covers every kernel of the config schema (a new kernel is checked, not skipped)', () => {
  expect(new Set(ENGINES.map((e) => e.kernel))).toEqual(new Set(KERNELS));
  for (const kernel of TFJS_SIDE)
    expect(ENGINES.filter((e) => e.kernel === kernel).map((e) => e.backend)).toEqual([...TFJS_BACKENDS]);
});

describe.each(SPECS)('gradients match float64 finite differences: %s', (_label, spec) => {
  for (const { kernel, threads, backend } of ENGINES) {
    if (spec.kind === 'dense' && kernel === 'tfjs') continue;
    const where = threads ? `, ${threads} threads` : `, backend ${backend}`;
    it(`every parameter (kernel ${kernel}${where})`, async (ctx) => {
      const unusable = backend && (await useBackend(backend));
      if (unusable) return ctx.skip(unusable);
      try {
        checkEveryParameter(spec, kernel, threads);
      } finally {
        if (backend) await tf.setBackend(picked);
      }
    });
  }
});

/** The analytic gradient of every parameter of `spec` against float64 central differences. */
function checkEveryParameter(spec: ModelSpec, kernel: SpatialKernelName, threads: number | undefined): void {
  const rng = Rng.fromSeed(7);
  const net = withPositiveBiases(Network.create(spec, rng, 'fused'), rng, 'fused');
  const { x, labels } = batch(rng, spec.layers[0], 3);
  const analytic = threads
    ? engineGrads(spec, net.toArrays(), x, labels, threads)
    : tfjsGridsFor(net, kernel, x, labels);
  const params = toParams(net.toArrays());
  net.dispose();
  const h = 1e-5;
  let checked = 0;
  for (const [name, values] of params) {
    for (let k = 0; k < values.length; k++) {
      const keep = values[k];
      values[k] = keep + h;
      const up = referenceLoss(spec, params, x, labels);
      values[k] = keep - h;
      const down = referenceLoss(spec, params, x, labels);
      values[k] = keep;
      const numeric = (up - down) / (2 * h);
      const got = analytic.get(name)![k];
      expect(Math.abs(got - numeric), `${name}[${k}]: analytic ${got} vs numeric ${numeric}`).toBeLessThan(
        2e-4 + 2e-3 * Math.abs(numeric),
      );
      checked++;
    }
  }
  // every parameter of the model was checked: positions, gaps/z, masks and biases
  expect(checked).toBe([...params.values()].reduce((s, v) => s + v.length, 0));
}

describe('the fused kernel agrees with the tfjs reference kernel', () => {
  it('on a 784-64-10 layer: weights and gradients', () => {
    const spec = spatialSpec([784, 64, 10], { zMode: 'relaxed' });
    const results = (['fused', 'tfjs'] as SpatialKernelName[]).map((kernel) => {
      const rng = Rng.fromSeed(3);
      const net = Network.create(spec, rng, kernel);
      const { x, labels } = batch(rng, 784, 8, 10);
      const w = net.layerWeights(0);
      const weights = w.dataSync().slice();
      w.dispose();
      const grads = tfjsGrads(net, x, labels);
      net.dispose();
      return { weights, grads };
    });
    const [fused, ref] = results;
    expect(maxRelDiff(fused.weights, ref.weights)).toBeLessThan(1e-5);
    for (const [name, g] of ref.grads) expect(maxRelDiff(fused.grads.get(name)!, g), name).toBeLessThan(1e-3);
  });
});

/** tfjs gradients of `net`'s parameters with the given spatial kernel. */
function tfjsGridsFor(
  net: Network,
  kernel: SpatialKernelName,
  x: number[][],
  labels: number[],
): Map<string, Float32Array> {
  const other = Network.fromArrays(net.spec, net.toArrays(), kernel);
  try {
    return tfjsGrads(other, x, labels);
  } finally {
    other.dispose();
  }
}

describe('the simd engine gives the same bits on any thread count', () => {
  it('784-64-10 spatial and dense: gradients of a batch of 8 are identical for 1, 2 and 3 threads', () => {
    for (const spec of [spatialSpec([784, 64, 10], { zMode: 'relaxed' }), denseSpec([784, 48, 24, 10])]) {
      const rng = Rng.fromSeed(5);
      const net = Network.create(spec, rng, 'fused');
      const { x, labels } = batch(rng, 784, 8, 10);
      const sparse = x.map((row) => row.map((v) => (v < 0.7 ? 0 : v))); // zeros like MNIST's background
      const [one, ...others] = [1, 2, 3].map((t) => engineGrads(spec, net.toArrays(), sparse, labels, t));
      net.dispose();
      for (const other of others) {
        for (const [name, g] of one) expect(Array.from(other.get(name)!), name).toEqual(Array.from(g));
      }
      expect([...one.values()].some((g) => g.some((v) => v !== 0))).toBe(true);
    }
  });
});

describe('the simd spatial kernels (W = m / d) agree with the JavaScript kernel', () => {
  // 520 outputs: three column blocks of the backward kernel, the last one partial
  const cases: [string, ModelSpec][] = [
    ['relaxed z, d=3', spatialSpec([784, 520, 10], { zMode: 'relaxed' })],
    ['learned gap, d=4', spatialSpec([784, 520, 12], { zMode: 'learned-gap', dim: 4 })],
    ['fixed gap, d=2', spatialSpec([784, 520, 8], { zMode: 'fixed-gap', dim: 2 })],
  ];
  it.each(cases)('%s, 784-520-n: gradients match tfjs, the same bits on 1, 2 and 3 threads', (_label, spec) => {
    const rng = Rng.fromSeed(11);
    const net = Network.create(spec, rng, 'fused');
    const { x, labels } = batch(rng, 784, 6, spec.layers[2]);
    const sparse = x.map((row) => row.map((v) => (v < 0.7 ? 0 : v)));
    const [one, ...others] = [1, 2, 3].map((t) => engineGrads(spec, net.toArrays(), sparse, labels, t));
    const ref = tfjsGrads(net, sparse, labels);
    net.dispose();
    for (const [name, g] of ref) expect(maxRelDiff(one.get(name)!, g), name).toBeLessThan(1e-3);
    for (const other of others)
      for (const [name, g] of one) expect(Array.from(other.get(name)!), name).toEqual(Array.from(g));
  });
});

/**
 * Zero biases can leave a ReLU exactly at its kink (pre-activation 0), where a central difference
 * sees slope 1/2 and autodiff 0; small positive biases keep every unit off the kink.
 */
function withPositiveBiases(net: Network, rng: Rng, kernel: SpatialKernelName): Network {
  const arrays = net
    .toArrays()
    .map((a) => (a.name.startsWith('bias.') ? { ...a, data: a.data.map(() => rng.uniform(0.05, 0.3)) } : a));
  const spec = net.spec;
  net.dispose();
  return Network.fromArrays(spec, arrays, kernel);
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d / (scale || 1);
}
