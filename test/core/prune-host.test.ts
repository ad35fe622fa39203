/**
 * The pruning worker pool splits a job's test images over its workers: the combined results must
 * be exactly (bit for bit) those of one evaluatePruned call in this thread. No timing assertions:
 * the speed-up is a benchmark figure (npm run bench:prune).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeArrays } from '../../src/shared/codec';
import { loadDataset } from '../../src/core/data';
import { presetConfig } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { combinePrunedParts, evaluatePruned, evaluatePrunedPart, testRange } from '../../src/core/prune/post-training';
import { PruneWorker } from '../../src/core/study/prune-host';
import { testOnly, type PruneJob } from '../../src/core/study/evaluate';
import { initBackend } from '../../src/core/train/backend';
import { Rng } from '../../src/core/util/rng';
import type { SpatialModelSpec } from '../../src/shared/model-spec';

beforeAll(async () => {
  await initBackend();
});

function modelBytes(layers: number[], seed: number): Uint8Array {
  const spec = { ...(presetConfig('paper-3d').model as SpatialModelSpec), layers };
  const net = Network.create(spec, Rng.fromSeed(seed));
  try {
    return encodeArrays(net.toArrays(), { kind: 'model', spec });
  } finally {
    net.dispose();
  }
}

describe('testRange', () => {
  it('splits on whole chunks of 1000, covering every image once, in order', () => {
    for (const count of [0, 1, 999, 1000, 1001, 2000, 2500, 10_000]) {
      for (const of of [1, 2, 3]) {
        const parts = Array.from({ length: of }, (_, index) => testRange(count, { index, of }, false));
        expect(parts[0].start).toBe(0);
        expect(parts[of - 1].end).toBe(count);
        for (let i = 0; i < of; i++) {
          if (i > 0) expect(parts[i].start).toBe(parts[i - 1].end);
          if (parts[i].end < count) expect(parts[i].end % 1000).toBe(0);
        }
      }
    }
    expect(testRange(2000, { index: 0, of: 2 }, false)).toEqual({ start: 0, end: 1000 });
  });

  it('gives a spiking model (one random spike stream across chunks) to part 0 whole', () => {
    expect(testRange(2000, { index: 0, of: 2 }, true)).toEqual({ start: 0, end: 2000 });
    expect(testRange(2000, { index: 1, of: 2 }, true)).toEqual({ start: 2000, end: 2000 });
  });
});

describe('split evaluation = one evaluatePruned call, exactly', () => {
  const model = modelBytes([784, 48, 10], 3);
  const dataset = { name: 'mnist', trainSize: 1, testSize: 2500 }; // three chunks: 1000 + 1500 on two workers
  const job: PruneJob = { model, dataset, rates: [0, 0.5, 0.9], maxDistances: [4, 12], scope: 'global' };
  const hosts: PruneWorker[] = [];
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
  });

  it('in this thread: parts 0..of-1 combined', async () => {
    const data = loadDataset(testOnly(dataset));
    const whole = await evaluatePruned({ model, data, rates: job.rates, maxDistances: job.maxDistances });
    expect(whole).toHaveLength(5);
    for (const of of [2, 3]) {
      const parts = await Promise.all(
        Array.from({ length: of }, (_, index) =>
          evaluatePrunedPart({ model, data, rates: job.rates, maxDistances: job.maxDistances }, { index, of }),
        ),
      );
      expect(combinePrunedParts(parts)).toEqual(whole);
    }
  });

  it('in worker threads: one worker and two give the in-thread results bit for bit', async () => {
    const data = loadDataset(testOnly(dataset));
    const whole = await evaluatePruned({ model, data, rates: job.rates, maxDistances: job.maxDistances });
    const one = new PruneWorker(1000, 1);
    const two = new PruneWorker(1000, 2);
    hosts.push(one, two);
    const [r1, r2] = await Promise.all([one.evaluate(job), two.evaluate(job)]);
    expect(r1).toEqual(whole);
    expect(r2).toEqual(whole);
    // the same job again (cached data set in each worker), and an error from a worker
    expect(await two.evaluate({ ...job, rates: [0.5], maxDistances: [] })).toEqual([whole[1]]);
    await expect(two.evaluate({ ...job, rates: [], maxDistances: [-1] })).rejects.toThrow(
      /distance threshold must be > 0/,
    );
  });
});
