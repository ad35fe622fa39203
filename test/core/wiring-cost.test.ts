import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SpatialModelSpec } from '../../src/shared/model-spec';
import type { SpatialKernelName } from '../../src/shared/run-config';
import { buildRunConfig } from '../../src/core/config/index';
import { spatialSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { EngineModel } from '../../src/core/engine/model';
import { initBackend, loadGradients } from '../../src/core/train/backend';
import { crossEntropyPerSample } from '../../src/core/train/evaluate';
import { Rng } from '../../src/core/util/rng';
import { referenceLoss, referenceWiring, toParams } from './oracle/reference-net';

beforeAll(async () => {
  await initBackend();
  await loadGradients(); // these tests take tfjs gradients directly
});

const layers = [6, 5, 4];
const LAMBDA = 0.05;
const SPECS: [string, SpatialModelSpec][] = [
  ['inverse', spatialSpec(layers, { initSpread: 3 })],
  [
    'power p=1.5 learned, relaxed',
    spatialSpec(layers, {
      zMode: 'relaxed',
      initSpread: 3,
      distance: 'power',
      distancePower: 1.5,
      learnDistance: true,
    }),
  ],
  [
    'exponential lambda=1.5 learned',
    spatialSpec(layers, { initSpread: 3, distance: 'exponential', distanceScale: 1.5, learnDistance: true }),
  ],
  [
    'gaussian sigma=2 fixed, 2 hidden',
    spatialSpec([6, 5, 3, 4], { initSpread: 3, distance: 'gaussian', distanceScale: 2 }),
  ],
];

describe.each(SPECS)('loss + lambda * wiring cost: gradients match float64 finite differences (%s)', (_label, spec) => {
  for (const kernel of ['fused', 'tfjs', 'simd'] as SpatialKernelName[]) {
    it(`every parameter (kernel ${kernel})`, () => {
      const rng = Rng.fromSeed(11);
      let net = Network.create(spec, rng, kernel);
      // positive biases keep every ReLU off its kink (see gradients.test.ts)
      const arrays = net
        .toArrays()
        .map((a) => (a.name.startsWith('bias.') ? { ...a, data: a.data.map(() => rng.uniform(0.05, 0.3)) } : a));
      net.dispose();
      net = Network.fromArrays(spec, arrays, kernel === 'simd' ? 'fused' : kernel);
      const x = Array.from({ length: 3 }, () => Array.from({ length: layers[0] }, () => rng.uniform(0, 1)));
      const labels = [0, 3, 1];
      const xs = tf.tensor2d(x);
      const ys = tf.tensor1d(labels, 'int32');
      const vars = net.variables();
      const { value, grads } = tf.variableGrads(
        () =>
          tf.add(tf.mean(crossEntropyPerSample(net.forward(xs), ys)), tf.mul(net.wiringCost(), LAMBDA)) as tf.Scalar,
        vars,
      );
      const params = toParams(net.toArrays());
      const loss = (): number => referenceLoss(spec, params, x, labels) + LAMBDA * referenceWiring(spec, params);
      // the simd engine: same parameters, its own forward/backward with the cost added
      const engine = kernel === 'simd' ? simdGrads(spec, net.toArrays(), x, labels) : null;
      expect(engine ? engine.loss : value.dataSync()[0]).toBeCloseTo(loss(), 4);
      let checked = 0;
      for (const v of vars) {
        const name = v.name.slice(v.name.indexOf('/') + 1);
        const analytic = engine ? engine.grads.get(name)! : grads[v.name].dataSync();
        const values = params.get(name)!;
        for (let k = 0; k < values.length; k++) {
          const keep = values[k];
          const h = 1e-5;
          values[k] = keep + h;
          const up = loss();
          values[k] = keep - h;
          const down = loss();
          values[k] = keep;
          const numeric = (up - down) / (2 * h);
          expect(Math.abs(analytic[k] - numeric), `${name}[${k}]`).toBeLessThan(2e-4 + 2e-3 * Math.abs(numeric));
          checked++;
        }
      }
      expect(checked).toBe([...params.values()].reduce((s, a) => s + a.length, 0));
      tf.dispose([xs, ys, value, ...Object.values(grads)]);
      net.dispose();
    });
  }
});

function simdGrads(spec: SpatialModelSpec, arrays: ReturnType<Network['toArrays']>, x: number[][], labels: number[]) {
  const model = new EngineModel(spec, arrays, {
    learningRate: 0.01,
    rowsMax: x.length,
    threads: 2,
    splitMinWork: 0,
    wiringCost: LAMBDA,
  });
  try {
    const { grads, stats } = model.gradients(Float32Array.from(x.flat()), Int32Array.from(labels), x.length);
    return { grads, loss: stats.lossSum / x.length };
  } finally {
    model.dispose();
  }
}

describe('wiring cost', () => {
  it('with the inverse kernel it equals nOut * sum |mask_i| and does not depend on positions', () => {
    const spec = spatialSpec(layers, { initSpread: 3 });
    const net = Network.create(spec, Rng.fromSeed(2));
    const cost = net.wiringCost();
    let expected = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const m = net.mask(l);
      expected += layers[l + 1] * m.abs().sum().dataSync()[0];
      m.dispose();
    }
    expect(cost.dataSync()[0]).toBeCloseTo(expected, 4);
    cost.dispose();
    net.dispose();
  });

  it('--wiring-cost sets training.wiringCost; dense models reject it', () => {
    expect(buildRunConfig({ overrides: { wiringCost: 0.01 } }).training.wiringCost).toBe(0.01);
    expect(buildRunConfig().training).not.toHaveProperty('wiringCost');
    expect(() => buildRunConfig({ overrides: { model: 'dense', wiringCost: 0.01 } })).toThrow(/needs a spatial model/);
    expect(() => buildRunConfig({ overrides: { wiringCost: -1 } })).toThrow(/--wiring-cost/);
    expect(buildRunConfig({ overrides: { wiringCost: 0.01, kernel: 'simd' } }).training.wiringCost).toBe(0.01);
  });
});
