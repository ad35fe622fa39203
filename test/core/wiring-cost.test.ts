import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SpatialModelSpec } from '../../src/shared/model-spec';
import type { SpatialKernelName } from '../../src/shared/run-config';
import { buildRunConfig } from '../../src/core/config/index';
import { spatialSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { initBackend } from '../../src/core/train/backend';
import { crossEntropyPerSample } from '../../src/core/train/evaluate';
import { Rng } from '../../src/core/util/rng';
import { referenceLoss, referenceWiring, toParams } from './oracle/reference-net';

beforeAll(async () => {
  await initBackend();
});

const layers = [6, 5, 4];
const LAMBDA = 0.05;
const SPECS: [string, SpatialModelSpec][] = [
  ['inverse', spatialSpec(layers, { initSpread: 3 })],
  ['power p=1.5 learned, relaxed', spatialSpec(layers, { zMode: 'relaxed', initSpread: 3, distance: 'power', distancePower: 1.5, learnDistance: true })],
  ['exponential lambda=1.5 learned', spatialSpec(layers, { initSpread: 3, distance: 'exponential', distanceScale: 1.5, learnDistance: true })],
  ['gaussian sigma=2 fixed, 2 hidden', spatialSpec([6, 5, 3, 4], { initSpread: 3, distance: 'gaussian', distanceScale: 2 })],
];

describe.each(SPECS)('loss + lambda * wiring cost: gradients match float64 finite differences (%s)', (_label, spec) => {
  for (const kernel of ['fused', 'tfjs'] as SpatialKernelName[]) {
    it(`every parameter (kernel ${kernel})`, () => {
      const rng = Rng.fromSeed(11);
      let net = Network.create(spec, rng, kernel);
      // positive biases keep every ReLU off its kink (see gradients.test.ts)
      const arrays = net.toArrays().map((a) => (a.name.startsWith('bias.') ? { ...a, data: a.data.map(() => rng.uniform(0.05, 0.3)) } : a));
      net.dispose();
      net = Network.fromArrays(spec, arrays, kernel);
      const x = Array.from({ length: 3 }, () => Array.from({ length: layers[0] }, () => rng.uniform(0, 1)));
      const labels = [0, 3, 1];
      const xs = tf.tensor2d(x);
      const ys = tf.tensor1d(labels, 'int32');
      const vars = net.variables();
      const { value, grads } = tf.variableGrads(
        () => tf.add(tf.mean(crossEntropyPerSample(net.forward(xs), ys)), tf.mul(net.wiringCost(), LAMBDA)) as tf.Scalar,
        vars,
      );
      const params = toParams(net.toArrays());
      const loss = (): number => referenceLoss(spec, params, x, labels) + LAMBDA * referenceWiring(spec, params);
      expect(value.dataSync()[0]).toBeCloseTo(loss(), 4);
      let checked = 0;
      for (const v of vars) {
        const name = v.name.slice(v.name.indexOf('/') + 1);
        const analytic = grads[v.name].dataSync();
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

describe('wiring cost', () => {
  it('with the inverse kernel it equals nOut * sum |mask_i| and does not depend on positions', () => {
    const spec = spatialSpec(layers, { initSpread: 3 });
    const net = Network.create(spec, Rng.fromSeed(2));
    const cost = net.wiringCost();
    let expected = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const m = net.mask(l);
      expected += layers[l + 1] * (m.abs().sum().dataSync()[0]);
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
  });
});
