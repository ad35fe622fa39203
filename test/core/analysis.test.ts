import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moranScore, nearestNeighbours } from '../../src/core/analysis/topography';
import { quantile, wiringMetrics } from '../../src/core/analysis/wiring';
import { epochAnalysis } from '../../src/core/analysis/index';
import { Network } from '../../src/core/model/network';
import { presetConfig, spatialSpec } from '../../src/core/model/presets';
import { layerDistances, paramMap } from '../../src/core/prune/magnitudes';
import { RunStore } from '../../src/core/store/index';
import { initBackend } from '../../src/core/train/backend';
import { Rng } from '../../src/core/util/rng';

beforeAll(async () => {
  await initBackend();
});

const dir = mkdtempSync(join(tmpdir(), 'sen-lab-analysis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wiring metrics', () => {
  it('match brute-force sums over every connection (power kernel, learned)', () => {
    const spec = spatialSpec([9, 6, 3], { initSpread: 3, distance: 'power', distancePower: 1.5, learnDistance: true });
    const net = Network.create(spec, Rng.fromSeed(5));
    const params = paramMap(net.toArrays());
    const m = wiringMetrics(spec, params, 3);
    expect(m.epoch).toBe(3);
    let total = 0;
    let weighted = 0;
    for (let l = 0; l < 2; l++) {
      const d = layerDistances(spec, params, l);
      const w = net.layerWeights(l);
      const wv = w.dataSync();
      w.dispose();
      let lt = 0;
      let lw = 0;
      d.forEach((v, q) => {
        lt += v;
        lw += Math.abs(wv[q]) * v;
      });
      const layer = m.layers[l];
      expect(layer.totalLength).toBeCloseTo(lt, 3);
      expect(layer.weightedLength).toBeCloseTo(lw, 4);
      expect(layer.meanLength).toBeCloseTo(lt / d.length, 5);
      expect(layer.p90Length).toBeCloseTo(quantile(Float64Array.from(d).sort(), 0.9), 5);
      expect(layer.gap).toBe(params.get(`gap.${l}`)![0]);
      expect(layer.kernelParam).toBe(1.5);
      // the shortest 10 % (ceil) of connections carry this share of sum |w|
      const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b]);
      const take = Math.ceil(0.1 * d.length);
      const short = order.slice(0, take).reduce((s, q) => s + Math.abs(wv[q]), 0);
      expect(layer.shortShare).toBeCloseTo(short / order.reduce((s, q) => s + Math.abs(wv[q]), 0), 5);
      total += lt;
      weighted += lw;
    }
    expect(m.totalLength).toBeCloseTo(total, 3);
    expect(m.weightedLength).toBeCloseTo(weighted, 4);
    net.dispose();
  });

  it('quantile interpolates', () => {
    expect(quantile([0, 10], 0.9)).toBeCloseTo(9);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe("topography (Moran's I against a permutation baseline)", () => {
  // 64 neurons on an 8x8 grid; 4 classes
  const width = 64;
  const classes = 4;
  const coords = new Float32Array(width * 2);
  for (let i = 0; i < width; i++) {
    coords[i * 2] = i % 8;
    coords[i * 2 + 1] = Math.floor(i / 8);
  }
  const nb = nearestNeighbours(coords, width, 2, 4);

  it('finds the 4 grid neighbours of an inner neuron', () => {
    expect(Array.from(nb.subarray(9 * 4, 10 * 4)).sort((a, b) => a - b)).toEqual([1, 8, 10, 17]);
  });

  it('clustered preferences score high and beat the baseline; shuffled ones do not', () => {
    const clustered = new Float64Array(width * classes);
    const rng = Rng.fromSeed(1);
    const shuffledPlace = rng.shuffle(Int32Array.from({ length: width }, (_, i) => i));
    const random = new Float64Array(width * classes);
    for (let i = 0; i < width; i++) {
      const quadrant = (i % 8 < 4 ? 0 : 1) + (Math.floor(i / 8) < 4 ? 0 : 2);
      clustered[i * classes + quadrant] = 1;
      const j = shuffledPlace[i];
      const qj = (j % 8 < 4 ? 0 : 1) + (Math.floor(j / 8) < 4 ? 0 : 2);
      random[i * classes + qj] = 1;
    }
    const hi = moranScore(1, clustered, width, classes, nb, 99, Rng.fromSeed(2));
    const lo = moranScore(1, random, width, classes, nb, 99, Rng.fromSeed(2));
    expect(hi.moranI).toBeGreaterThan(0.6);
    expect(hi.z).toBeGreaterThan(5);
    expect(hi.p).toBeLessThanOrEqual(0.01);
    expect(Math.abs(lo.moranI - lo.baselineMean)).toBeLessThan(3 * lo.baselineStd);
    expect(hi.preferred.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(hi.preferred[63]).toBe(3);
  });
});

describe('per-epoch analysis in the store', () => {
  it('recordEpoch stores wiring and topography; getRun returns them under wiring and topography', () => {
    const config = presetConfig('quick');
    config.model.layers = [16, 12, 4];
    const spec = config.model;
    const net = Network.create(spec, Rng.fromSeed(3));
    const rng = Rng.fromSeed(4);
    const count = 40;
    const data = {
      name: 'tiny',
      source: '',
      rows: 4,
      cols: 4,
      classes: 4,
      train: { images: new Float32Array(0), labels: new Uint8Array(0), count: 0 },
      test: {
        images: Float32Array.from({ length: count * 16 }, () => rng.uniform(0, 1)),
        labels: Uint8Array.from({ length: count }, (_, i) => i % 4),
        count,
      },
    };
    const analysis = epochAnalysis(spec, net.toArrays(), data, 1)!;
    net.dispose();
    expect(analysis.topography!.layers[0].preferred).toHaveLength(12);
    const store = RunStore.open(join(dir, 'runs.db'));
    try {
      const run = store.createRun({ config, backend: 'wasm', params: 1 });
      const metrics = {
        epoch: 1,
        trainLoss: 1,
        trainAccuracy: 0.5,
        testLoss: 1,
        testAccuracy: 0.5,
        durationMs: 1,
        samplesPerSec: 1,
      };
      store.recordEpoch(run.id, metrics, { analysis });
      const detail = store.getRun(run.id);
      expect(detail.wiring).toEqual([analysis.wiring]);
      expect(detail.topography).toEqual([analysis.topography]);
      // the untrained network's measurements (epoch 0) come first
      store.saveAnalysis(run.id, 0, { ...analysis, wiring: { ...analysis.wiring!, epoch: 0 } });
      expect(store.getRun(run.id).wiring!.map((w) => w.epoch)).toEqual([0, 1]);
      const plain = store.createRun({ config, backend: 'wasm', params: 1 });
      store.recordEpoch(plain.id, metrics);
      expect(store.getRun(plain.id)).not.toHaveProperty('wiring');
      store.finishRun(run.id, 'completed');
      store.deleteRun(run.id);
      expect(() => store.getRun(run.id)).toThrow();
    } finally {
      store.close();
    }
  });
});
