/**
 * Resume is exact for real epoch lengths: 300 optimizer steps per epoch, interrupted (through the
 * abort signal) after epoch 1, in the middle of epoch 2 and after epoch 2, each time resumed from
 * the latest checkpoint, ends with the same model bytes as one uninterrupted run. Written against
 * the public `trainModel` API, so it checks whatever engine and optimizer are the default.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeArrays, encodeArrays } from '../../src/shared/codec';
import type { EpochMetrics, RunConfig } from '../../src/shared/run-config';
import { loadDataset } from '../../src/core/data';
import type { Dataset } from '../../src/core/data/types';
import { denseSpec, presetConfig, spatialSpec } from '../../src/core/model/presets';
import { initBackend } from '../../src/core/train/backend';
import { trainModel } from '../../src/core/train/trainer';
import type { TrainResult } from '../../src/core/train/types';

let data: Dataset;
beforeAll(async () => {
  await initBackend();
  data = loadDataset({ name: 'mnist', trainSize: 3000, testSize: 100 });
});

function config(model: RunConfig['model'], epochs: number, kernel?: RunConfig['kernel']): RunConfig {
  const c = presetConfig('quick');
  c.model = model;
  if (kernel) c.kernel = kernel;
  c.training = { ...c.training, epochs, batchSize: 10, seed: 7 }; // 3000 / 10 = 300 steps per epoch
  return c;
}

const numbers = (ms: EpochMetrics[]) => ms.map(({ durationMs: _d, samplesPerSec: _s, ...rest }) => rest);

interface Leg {
  /** resume from this checkpoint (undefined: a fresh start) */
  resume?: Uint8Array;
  /** abort once this epoch has finished (its checkpoint is kept) */
  stopAfterEpoch?: number;
  /** abort in the middle of this epoch (the unfinished epoch is discarded) */
  stopDuringEpoch?: number;
}

/** One training leg; returns its result and the latest checkpoint it produced. */
async function leg(c: RunConfig, l: Leg): Promise<{ result: TrainResult; checkpoint?: Uint8Array }> {
  const ac = new AbortController();
  let checkpoint: Uint8Array | undefined;
  const result = await trainModel({
    config: c,
    data,
    resume: l.resume,
    signal: ac.signal,
    callbacks: {
      onEpoch: (e) => {
        checkpoint = e.checkpoint;
        if (e.metrics.epoch === l.stopAfterEpoch) ac.abort();
      },
      onBatch: (b) => {
        if (b.epoch === l.stopDuringEpoch && b.batch < b.batchesPerEpoch) ac.abort();
      },
    },
  });
  return { result, checkpoint };
}

describe('exact resume with 300 steps per epoch', () => {
  // the default engine (the preset's kernel), and the WebAssembly engine with its own Adam
  const kinds: [string, RunConfig['model'], RunConfig['kernel'] | undefined][] = [
    ['spatial', spatialSpec([784, 16, 10], { zMode: 'learned-gap' }), undefined],
    ['dense', denseSpec([784, 16, 10]), undefined],
    ['spatial (simd engine)', spatialSpec([784, 16, 10], { zMode: 'learned-gap' }), 'simd'],
  ];
  it.each(kinds)(
    '%s: interrupted after epoch 1, during epoch 2 and after epoch 2 -> same final model bytes',
    async (_kind, model, kernel) => {
      const c = config(model, 3, kernel);
      const straight = (await leg(c, {})).result;
      expect(straight.status).toBe('completed');

      const a = await leg(c, { stopAfterEpoch: 1 });
      expect(a.result).toMatchObject({ status: 'interrupted' });
      expect(a.result.epochs).toHaveLength(1);
      const b = await leg(c, { resume: a.checkpoint, stopDuringEpoch: 2 });
      expect(b.result.status).toBe('interrupted');
      expect(b.result.epochs).toHaveLength(1); // the unfinished epoch 2 was discarded
      const c2 = await leg(c, { resume: a.checkpoint, stopAfterEpoch: 2 });
      expect(c2.result.epochs).toHaveLength(2);
      const d = await leg(c, { resume: c2.checkpoint });
      expect(d.result.status).toBe('completed');

      expect(numbers(d.result.epochs)).toEqual(numbers(straight.epochs));
      expect(Buffer.from(d.result.finalModel).equals(Buffer.from(straight.finalModel))).toBe(true);
    },
  );

  it('still resumes a checkpoint written before the accumulators were stored', async () => {
    // the tfjs engine (kernel 'fused') is the one whose checkpoints carry the accumulators
    const c = config(denseSpec([784, 16, 10]), 2, 'fused');
    c.training.batchSize = 100;
    const a = await leg(c, { stopAfterEpoch: 1 });
    const { meta, arrays } = decodeArrays<Record<string, unknown>>(a.checkpoint!);
    expect(meta).toHaveProperty('adam');
    const { adam: _adam, ...old } = meta;
    const resumed = await leg(c, { resume: encodeArrays(arrays, old) });
    expect(resumed.result.status).toBe('completed');
    expect(resumed.result.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });
});
