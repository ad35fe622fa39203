import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeArrays } from '../../src/shared/codec';
import type { EpochMetrics, RunConfig, SpatialKernelName } from '../../src/shared/run-config';
import { KERNELS } from '../../src/shared/schema/enums';
import { loadDataset } from '../../src/core/data';
import type { Dataset } from '../../src/core/data/types';
import { presetConfig, spatialSpec } from '../../src/core/model/presets';
import { initBackend } from '../../src/core/train/backend';
import { trainModel } from '../../src/core/train/trainer';
import type { EpochResult } from '../../src/core/train/types';

let small: Dataset;
beforeAll(async () => {
  await initBackend();
  small = loadDataset({ name: 'mnist', trainSize: 1200, testSize: 300 });
});

/** The engine the trainModel block below runs on (each engine gets the whole block). */
let kernel: SpatialKernelName = 'simd';

function tinyConfig(over: Partial<RunConfig['training']> = {}): RunConfig {
  const c = presetConfig('quick');
  c.model = spatialSpec([784, 24, 10], { zMode: 'relaxed' });
  c.training = { ...c.training, epochs: 2, batchSize: 100, ...over };
  c.kernel = kernel;
  return c;
}

/** Metrics without wall-clock fields, which legitimately differ between runs. */
const numbers = (ms: EpochMetrics[]) => ms.map(({ durationMs: _d, samplesPerSec: _s, ...rest }) => rest);

// every kernel of the config schema's KERNELS: a new kernel gets the whole block by being added there
describe.each(KERNELS)('trainModel (kernel %s)', (k) => {
  beforeAll(() => {
    kernel = k;
  });

  it('is deterministic: the same seed and backend give identical metrics and parameters', async () => {
    const a = await trainModel({ config: tinyConfig(), data: small });
    const b = await trainModel({ config: tinyConfig(), data: small });
    expect(numbers(a.epochs)).toEqual(numbers(b.epochs));
    expect(Buffer.from(a.finalModel).equals(Buffer.from(b.finalModel))).toBe(true);
    const c = await trainModel({ config: tinyConfig({ seed: 2 }), data: small });
    expect(numbers(c.epochs)).not.toEqual(numbers(a.epochs));
  });

  it('leaks no tensors across training steps or the whole run', async () => {
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    await trainModel({
      config: tinyConfig({ epochs: 3 }),
      data: small,
      callbacks: { onEpoch: () => void perEpoch.push(tf.memory().numTensors) },
    });
    expect(perEpoch[1]).toBe(perEpoch[0]);
    expect(perEpoch[2]).toBe(perEpoch[0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes exactly from an epoch checkpoint', async () => {
    const straight = await trainModel({ config: tinyConfig({ epochs: 3 }), data: small });
    const checkpoints: EpochResult[] = [];
    const ac = new AbortController();
    const first = await trainModel({
      config: tinyConfig({ epochs: 3 }),
      data: small,
      signal: ac.signal,
      callbacks: {
        onEpoch: (e) => {
          checkpoints.push(e);
          ac.abort(); // stop after the first finished epoch
        },
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.epochs).toHaveLength(1);
    let startEpoch = -1;
    const resumed = await trainModel({
      config: tinyConfig({ epochs: 3 }),
      data: small,
      resume: checkpoints[0].checkpoint,
      callbacks: { onStart: (info) => void (startEpoch = info.startEpoch) },
    });
    expect(startEpoch).toBe(1);
    expect(resumed.status).toBe('completed');
    expect(numbers(resumed.epochs)).toEqual(numbers(straight.epochs));
    expect(Buffer.from(resumed.finalModel).equals(Buffer.from(straight.finalModel))).toBe(true);
  });

  it('hands out an epoch-0 snapshot and one per epoch with positions, gaps and inhibition', async () => {
    const snaps: Uint8Array[] = [];
    const config = tinyConfig();
    config.model = spatialSpec([784, 24, 10], { zMode: 'learned-gap' });
    await trainModel({
      config,
      data: small,
      callbacks: {
        onStart: (i) => void snaps.push(i.initialSnapshot!),
        onEpoch: (e) => void snaps.push(e.snapshot!),
      },
    });
    expect(snaps).toHaveLength(3);
    const names = decodeArrays(snaps[0]).arrays.map((a) => a.name);
    expect(names.sort()).toEqual(['gap.0', 'gap.1', 'inhib.0', 'inhib.1', 'pos.0', 'pos.1', 'pos.2']);
    const pos0 = decodeArrays(snaps[0]).arrays.find((a) => a.name === 'pos.1')!.data;
    const pos2 = decodeArrays(snaps[2]).arrays.find((a) => a.name === 'pos.1')!.data;
    expect(pos2).not.toEqual(pos0); // the neurons moved while learning
  });

  it('rejects a model whose input layer does not fit the images', async () => {
    const config = tinyConfig();
    config.model = spatialSpec([100, 24, 10]);
    await expect(trainModel({ config, data: small })).rejects.toThrow(
      /the first layer must have 784 neurons, one per pixel of .*; it has 100/,
    );
  });
});

describe('learning on real MNIST', () => {
  let full: Dataset;
  beforeAll(() => {
    full = loadDataset({ name: 'mnist', testSize: 2_000 });
  });

  it('the quick spatial model passes 75% test accuracy after one epoch of the 60k images', async () => {
    const config = presetConfig('quick');
    config.training.epochs = 1;
    const r = await trainModel({ config, data: full });
    expect(r.epochs[0].testAccuracy).toBeGreaterThan(0.75);
  });

  // Accuracy against tfjs needs the full epoch; the thread split is checked on a small set, as model bytes
  // (stricter than equal accuracy, and a full-MNIST epoch cheaper than it was with a third full epoch).
  it('the quick model on the simd engine matches tfjs accuracy within half a point after one epoch; 1 and 2 threads give the same model bytes', async () => {
    const saved = process.env.SEN_LAB_THREADS;
    const train = async (k: SpatialKernelName, threads: string, data: Dataset) => {
      process.env.SEN_LAB_THREADS = threads;
      const config = presetConfig('quick');
      config.training.epochs = 1;
      config.kernel = k;
      const r = await trainModel({ config, data });
      if (k === 'simd') expect(r.backend).toBe(`sen-simd (${threads} thread${threads === '1' ? '' : 's'})`);
      return r;
    };
    try {
      const fused = await train('fused', '', full);
      const simd = await train('simd', '1', full);
      expect(Math.abs(simd.epochs[0].testAccuracy - fused.epochs[0].testAccuracy)).toBeLessThan(0.005);
      const one = await train('simd', '1', small);
      const two = await train('simd', '2', small);
      expect(Buffer.from(two.finalModel).equals(Buffer.from(one.finalModel))).toBe(true); // column split: same bits
      expect(numbers(two.epochs)).toEqual(numbers(one.epochs));
    } finally {
      if (saved === undefined) delete process.env.SEN_LAB_THREADS;
      else process.env.SEN_LAB_THREADS = saved;
    }
  }, 360_000); // two full-MNIST epochs: room for a loaded machine

  it('the dense baseline learns through the same loop', async () => {
    const data = full;
    const config = presetConfig('baseline-14');
    config.training = { ...config.training, epochs: 1, batchSize: 100 };
    const r = await trainModel({ config, data });
    expect(r.epochs[0].testAccuracy).toBeGreaterThan(0.8);
  });
});
