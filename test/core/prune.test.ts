import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeArrays, type NamedArray } from '../../src/shared/codec';
import { loadDataset } from '../../src/core/data';
import { denseSpec, presetConfig, spatialSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import {
  connectionMagnitudes,
  evaluatePruned,
  kthSmallest,
  layerDistances,
  paramMap,
  pruneByRate,
  pruneByThreshold,
  pruningRateAt,
} from '../../src/core/prune';
import { initBackend, loadGradients } from '../../src/core/train/backend';
import { crossEntropyPerSample } from '../../src/core/train/evaluate';
import { trainModel } from '../../src/core/train/trainer';
import { Rng } from '../../src/core/util/rng';

beforeAll(async () => {
  await initBackend();
  await loadGradients(); // these tests take tfjs gradients directly
});

/** Dense parameters with every removed connection's weight set to 0 (the oracle for a pruned forward pass). */
function zeroRemovedWeights(arrays: NamedArray[], keep: Float32Array[]): NamedArray[] {
  return arrays.map((a) => {
    if (!a.name.startsWith('weight.')) return a;
    const l = Number(a.name.split('.')[1]);
    return { ...a, data: a.data.map((v, i) => v * keep[l][i]) };
  });
}

const zeros = (k: Float32Array) => k.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);

function randomLayers(rng: Rng, sizes: number[], distinct = 1000): Float32Array[] {
  // few distinct values: many ties, the hard case for an exact count
  return sizes.map((n) => Float32Array.from({ length: n }, () => rng.int(distinct) / distinct));
}

describe('selection', () => {
  it('kthSmallest agrees with a full sort', () => {
    const rng = Rng.fromSeed(5);
    for (let trial = 0; trial < 20; trial++) {
      const a = Float32Array.from({ length: 1 + rng.int(500) }, () => rng.int(50));
      const sorted = Float32Array.from(a).sort();
      const k = rng.int(a.length);
      expect(kthSmallest(Float32Array.from(a), k)).toBe(sorted[k]);
    }
  });

  it('achieves the requested rate exactly, globally and per layer, even with ties', () => {
    const rng = Rng.fromSeed(1);
    const layers = randomLayers(rng, [3000, 777, 41], 20);
    const total = 3000 + 777 + 41;
    for (const rate of [0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95]) {
      const g = pruneByRate(layers, rate, 'global');
      expect(g.pruned).toBe(Math.round(rate * total));
      expect(g.keep.reduce((s, k) => s + zeros(k), 0)).toBe(g.pruned);
      const p = pruneByRate(layers, rate, 'per-layer');
      layers.forEach((m, l) => expect(zeros(p.keep[l])).toBe(Math.round(rate * m.length)));
      expect(Math.abs(p.pruned / total - rate)).toBeLessThanOrEqual(layers.length / total);
    }
  });

  it('removes the smallest magnitudes: every removed value <= every kept one', () => {
    const rng = Rng.fromSeed(2);
    const layers = randomLayers(rng, [500, 300]);
    const r = pruneByRate(layers, 0.7, 'global');
    let maxRemoved = -Infinity;
    let minKept = Infinity;
    layers.forEach((m, l) =>
      m.forEach((v, i) => {
        if (r.keep[l][i] === 0) maxRemoved = Math.max(maxRemoved, v);
        else minKept = Math.min(minKept, v);
      }),
    );
    expect(maxRemoved).toBeLessThanOrEqual(minKept);
  });

  it('rejects rates outside [0, 1)', () => {
    expect(() => pruneByRate([new Float32Array(4)], 1, 'global')).toThrow(/\[0, 1\)/);
    expect(() => pruneByRate([new Float32Array(4)], -0.1, 'global')).toThrow(/\[0, 1\)/);
  });
});

describe('spatial networks: rate pruning = cutting the longest connections', () => {
  it('pruning by rate and by the equivalent distance threshold give the same mask', () => {
    const spec = spatialSpec([60, 40, 10], { zMode: 'relaxed' });
    const net = Network.create(spec, Rng.fromSeed(3));
    const params = paramMap(net.toArrays());
    net.dispose();
    const mags = connectionMagnitudes(spec, params);
    const distances = [0, 1].map((l) => layerDistances(spec, params, l));
    for (const rate of [0.2, 0.5, 0.9]) {
      const byRate = pruneByRate(mags, rate, 'global');
      // the longest kept connection: any threshold between it and the shortest removed one is equivalent
      let longestKept = 0;
      distances.forEach((d, l) =>
        d.forEach((v, i) => byRate.keep[l][i] === 1 && (longestKept = Math.max(longestKept, v))),
      );
      const byDistance = pruneByThreshold(mags, 1 / longestKept);
      expect(byDistance.keep).toEqual(byRate.keep);
      // and every removed connection is longer than every kept one
      distances.forEach((d, l) =>
        d.forEach((v, i) => byRate.keep[l][i] === 0 && expect(v).toBeGreaterThanOrEqual(longestKept)),
      );
    }
  });
});

describe('pruned forward passes', () => {
  it('a fixed mask gives the same logits as zeroing those dense weights', () => {
    const spec = denseSpec([20, 8, 3]);
    const rng = Rng.fromSeed(4);
    const net = Network.create(spec, rng);
    const arrays = net.toArrays();
    const masks = pruneByRate(connectionMagnitudes(spec, paramMap(arrays)), 0.6, 'global');
    const zeroed = zeroRemovedWeights(arrays, masks.keep);
    const reference = Network.fromArrays(spec, zeroed);
    net.setPruning({ kind: 'fixed', keep: masks.keep });
    const x = tf.randomUniform([5, 20], 0, 1, 'float32', 9) as tf.Tensor2D;
    const a = net.forward(x).arraySync();
    const b = reference.forward(x).arraySync();
    expect(a).toEqual(b);
    tf.dispose(x);
    net.dispose();
    reference.dispose();
  });

  it('during training the rate holds at every step', () => {
    const spec = spatialSpec([30, 20, 4], { zMode: 'learned-gap', initSpread: 3 });
    const net = Network.create(spec, Rng.fromSeed(6));
    net.setPruning({ kind: 'dynamic', rate: () => 0.8, scope: 'per-layer' });
    const optimizer = tf.train.adam(0.05);
    const x = tf.randomUniform([16, 30], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 4),
      'int32',
    );
    for (let step = 0; step < 5; step++) {
      optimizer.minimize(() => tf.mean(crossEntropyPerSample(net.forward(x), y)) as tf.Scalar, false, net.variables());
      expect(net.lastPruning).toEqual({ pruned: Math.round(0.8 * 600) + Math.round(0.8 * 80), total: 680 });
    }
    const eff = net.effectiveWeights();
    const zerosPerLayer = eff.map((w) => zeros(w.dataSync() as Float32Array));
    expect(zerosPerLayer).toEqual([480, 64]);
    tf.dispose([x, y, ...eff]);
    optimizer.dispose();
    net.dispose();
  });

  it('pruning applies to spiking networks too (same logits as zeroed weights)', () => {
    const spec = {
      ...denseSpec([20, 8, 3]),
      spiking: {
        timeSteps: 5,
        beta: 0.95,
        threshold: 1,
        learnBeta: false,
        learnThreshold: false,
        reset: 'subtract' as const,
        surrogate: 'atan' as const,
        surrogateSlope: 2,
        encoding: 'direct' as const,
        decoding: 'membrane-sum' as const,
      },
    };
    const net = Network.create(spec, Rng.fromSeed(4));
    const arrays = net.toArrays();
    const masks = pruneByRate(connectionMagnitudes(spec, paramMap(arrays)), 0.6, 'global');
    const zeroed = zeroRemovedWeights(arrays, masks.keep);
    const reference = Network.fromArrays(spec, zeroed);
    net.setPruning({ kind: 'fixed', keep: masks.keep });
    const x = tf.randomUniform([4, 20], 0, 3, 'float32', 5) as tf.Tensor2D;
    const pruned = net.forward(x);
    const plain = reference.forward(x);
    expect(pruned.arraySync()).toEqual(plain.arraySync());
    net.setPruning(null);
    const unpruned = net.forward(x);
    expect(unpruned.arraySync()).not.toEqual(pruned.arraySync()); // the mask really changed the output
    tf.dispose([x, pruned, plain, unpruned]);
    net.dispose();
    reference.dispose();
  });

  it('removed connections get no gradient (dense, dynamic pruning)', () => {
    const spec = denseSpec([12, 6, 3]);
    const net = Network.create(spec, Rng.fromSeed(8));
    net.setPruning({ kind: 'dynamic', rate: () => 0.5, scope: 'global' });
    const masks = pruneByRate(connectionMagnitudes(spec, net.paramValues()), 0.5, 'global');
    const x = tf.randomUniform([4, 12], 0, 1, 'float32', 2) as tf.Tensor2D;
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const vars = net.variables();
    const { value, grads } = tf.variableGrads(
      () => tf.mean(crossEntropyPerSample(net.forward(x), y)) as tf.Scalar,
      vars,
    );
    for (const l of [0, 1]) {
      const name = vars.find((v) => v.name.endsWith(`/weight.${l}`))!.name;
      const g = grads[name].dataSync();
      let nonzeroOnKept = 0;
      masks.keep[l].forEach((k, i) => {
        if (k === 0) expect(Math.abs(g[i])).toBe(0);
        else if (g[i] !== 0) nonzeroOnKept++;
      });
      expect(nonzeroOnKept).toBeGreaterThan(0);
    }
    tf.dispose([x, y, value, ...Object.values(grads)]);
    net.dispose();
  });

  it('the gradual schedule ramps linearly to the rate', () => {
    const p = { rate: 0.8, scope: 'global' as const, schedule: 'gradual' as const, rampEpochs: 4 };
    expect(pruningRateAt(p, 10, 1, 0)).toBe(0);
    expect(pruningRateAt(p, 10, 3, 0)).toBeCloseTo(0.4);
    expect(pruningRateAt(p, 10, 6, 0.5)).toBe(0.8);
    expect(pruningRateAt({ ...p, schedule: 'constant' }, 10, 1, 0)).toBe(0.8);
  });
});

describe('pruning on real MNIST', () => {
  it('post-training pruning evaluates copies at each rate; 0% equals the unpruned model', async () => {
    const data = loadDataset({ name: 'mnist', trainSize: 3000, testSize: 500 });
    const config = presetConfig('quick');
    config.training.epochs = 2;
    const trained = await trainModel({ config, data });
    const before = Buffer.from(trained.finalModel);
    const results = await evaluatePruned({ model: trained.finalModel, data, rates: [0, 0.5, 0.95] });
    expect(results.map((r) => r.sparsity)).toEqual([
      0,
      Math.round(0.5 * 101632) / 101632,
      Math.round(0.95 * 101632) / 101632,
    ]);
    expect(results[0].testAccuracy).toBeCloseTo(trained.epochs[1].testAccuracy, 6);
    expect(Buffer.from(trained.finalModel).equals(before)).toBe(true); // the model itself is untouched
    const perLayer = await evaluatePruned({ model: trained.finalModel, data, rates: [0.5], scope: 'per-layer' });
    expect(perLayer[0].prunedPerLayer).toEqual([Math.round(0.5 * 784 * 128), Math.round(0.5 * 1280)]);
  });

  it('training with 80% pruning from the start still learns, and the final model keeps its geometry', async () => {
    const data = loadDataset({ name: 'mnist', testSize: 1000 });
    const config = presetConfig('quick');
    config.training.epochs = 1;
    config.pruning = { rate: 0.8, scope: 'global', schedule: 'constant' };
    const r = await trainModel({ config, data });
    expect(r.epochs[0].testAccuracy).toBeGreaterThan(0.6);
    const names = decodeArrays(r.finalModel).arrays.map((a) => a.name);
    expect(names).toContain('pos.1');
  });
});
