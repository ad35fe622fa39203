import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig, ConfigError } from '../../src/core/config/index';
import {
  DISTANCE_KERNELS,
  kernelValue,
  slopeOverDistance,
  thetaSlope,
  type DistanceKernel,
} from '../../src/core/model/kernels/distance';
import { Network } from '../../src/core/model/network';
import { countParams } from '../../src/core/model/param-count';
import { spatialSpec } from '../../src/core/model/presets';
import { initBackend } from '../../src/core/train/backend';
import { Rng } from '../../src/core/util/rng';

beforeAll(async () => {
  await initBackend();
});

describe('distance kernel math (float64 central differences)', () => {
  const thetas: Record<string, number> = { inverse: 0, power: 1.7, exponential: 1.3, gaussian: 0.9 };
  for (const name of DISTANCE_KERNELS) {
    it(`${name}: K, dK/dd / d and dK/dtheta`, () => {
      const k: DistanceKernel = { name, theta: thetas[name] };
      const h = 1e-6;
      for (const d of [0.3, 1, 2.5, 4]) {
        const f = kernelValue(k, d);
        const dd = (kernelValue(k, d + h) - kernelValue(k, d - h)) / (2 * h);
        expect(slopeOverDistance(k, d, f) * d).toBeCloseTo(dd, 6);
        const up = kernelValue({ name, theta: k.theta + h }, d);
        const down = kernelValue({ name, theta: k.theta - h }, d);
        expect(thetaSlope(k, d, f)).toBeCloseTo(name === 'inverse' ? 0 : (up - down) / (2 * h), 6);
      }
    });
  }

  it('inverse is exactly 1/d and power with p = 1 equals it', () => {
    expect(kernelValue({ name: 'inverse', theta: 0 }, 4)).toBe(0.25);
    expect(kernelValue({ name: 'power', theta: 1 }, 4)).toBe(0.25);
  });
});

describe('learned kernel parameters are counted exactly', () => {
  const layers = [784, 64, 32, 10];
  for (const distance of ['power', 'exponential', 'gaussian'] as const) {
    it(`${distance}: one parameter per layer pair when learned, none when fixed`, () => {
      const fixed = spatialSpec(layers, { distance });
      const learned = spatialSpec(layers, { distance, learnDistance: true });
      expect(countParams(learned)).toBe(countParams(fixed) + 3);
      expect(countParams(fixed)).toBe(countParams(spatialSpec(layers)));
      const net = Network.create(learned, Rng.fromSeed(1));
      const total = net.toArrays().reduce((s, a) => s + a.data.length, 0);
      const dist = net.toArrays().filter((a) => a.name.startsWith('dist.'));
      net.dispose();
      expect(total).toBe(countParams(learned));
      expect(dist.map((a) => a.name)).toEqual(['dist.0', 'dist.1', 'dist.2']);
      const initial = distance === 'power' ? 2 : 1;
      for (const a of dist) expect(Array.from(a.data)).toEqual([initial]);
    });
  }
});

describe('kernel config fields', () => {
  it('flags set model.distance and its parameter; the default config has no kernel fields', () => {
    expect(buildRunConfig().model).not.toHaveProperty('distance');
    const c = buildRunConfig({ overrides: { distance: 'exponential', distanceScale: 2.5, learnDistance: true } });
    expect(c.model).toMatchObject({ distance: 'exponential', distanceScale: 2.5, learnDistance: true });
    const p = buildRunConfig({ overrides: { distance: 'power' } });
    expect(p.model).toMatchObject({ distance: 'power', distancePower: 2, learnDistance: false });
  });

  it('rejects unknown kernels, misplaced parameters and bad scales, naming the flag', () => {
    const cases: [Parameters<typeof buildRunConfig>[0], RegExp][] = [
      [{ overrides: { distance: 'cauchy' } }, /--distance.*one of 'inverse', 'power', 'exponential', 'gaussian'/],
      [
        { overrides: { distance: 'power', distanceScale: 2 } },
        /--distance-scale.*applies only to the 'exponential' and 'gaussian'/,
      ],
      [{ overrides: { distanceScale: 2 } }, /distanceScale applies only.*inverse \(the default\)/],
      [{ overrides: { distance: 'inverse', learnDistance: true } }, /learnDistance applies only/],
      [{ overrides: { distance: 'gaussian', distanceScale: 0 } }, /--distance-scale.*> 0/],
    ];
    for (const [opts, message] of cases) {
      let err: unknown;
      try {
        buildRunConfig(opts);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('dense models reject kernel fields', () => {
    expect(() => buildRunConfig({ overrides: { model: 'dense', distance: 'power' } })).toThrow(
      /--distance does not apply/,
    );
  });
});

describe('pruning ranks', () => {
  it("'length' (default) ranks by 1/d for every kernel; 'weight' is the true |w| the network uses", async () => {
    const { connectionMagnitudes, layerDistances, paramMap } = await import('../../src/core/prune/magnitudes');
    const spec = spatialSpec([12, 7, 4], {
      initSpread: 3,
      distance: 'gaussian',
      distanceScale: 1.5,
      learnDistance: true,
    });
    const net = Network.create(spec, Rng.fromSeed(4));
    const params = paramMap(net.toArrays());
    const byLength = connectionMagnitudes(spec, params);
    const byWeight = connectionMagnitudes(spec, params, 'weight');
    for (let l = 0; l < 2; l++) {
      const d = layerDistances(spec, params, l);
      d.forEach((v, q) => expect(byLength[l][q]).toBeCloseTo(1 / v, 5));
      const w = net.layerWeights(l);
      const values = w.dataSync();
      w.dispose();
      values.forEach((v, q) => expect(byWeight[l][q]).toBeCloseTo(Math.abs(v), 6));
    }
    net.dispose();
  });
});
