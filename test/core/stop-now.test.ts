/**
 * "Stop now" loses no work (issue 14 §3): a stop inside an epoch hands out a checkpoint with the
 * batch index, the data-order and spike RNG states and the epoch's running sums; resuming from it
 * gives the same final model bytes and metrics as a run that was never stopped. "Stop after this
 * epoch" ends with that epoch finished.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunConfig } from '../../src/shared/run-config';
import { loadDataset } from '../../src/core/data';
import type { Dataset } from '../../src/core/data/types';
import { presetConfig, spatialSpec } from '../../src/core/model/presets';
import { spikingSpec } from '../../src/core/snn/spec';
import { initBackend } from '../../src/core/train/backend';
import { decodeCheckpoint } from '../../src/core/train/checkpoint';
import { trainModel } from '../../src/core/train/trainer';

let small: Dataset;
beforeAll(async () => {
  await initBackend();
  small = loadDataset({ name: 'mnist', trainSize: 1000, testSize: 200 });
});

const numbers = (ms: EpochMetrics[]) => ms.map(({ durationMs: _d, samplesPerSec: _s, ...rest }) => rest);

function spatial(): RunConfig {
  const c = presetConfig('quick');
  c.model = spatialSpec([784, 16, 10], { zMode: 'learned-gap' });
  c.training = { ...c.training, epochs: 3, batchSize: 100 };
  c.kernel = 'fused'; // the TensorFlow.js engine (tf.train.adam)
  return c;
}

/** the same model on SEN Lab's own WebAssembly engine (kernel 'simd') */
function simd(): RunConfig {
  return { ...spatial(), kernel: 'simd' };
}

function rateCodedSnn(): RunConfig {
  const c = presetConfig('snn-quick');
  c.model = spatialSpec([784, 16, 10], {
    initSpread: 8,
    initInhibition: 0.02,
    spiking: spikingSpec({ timeSteps: 4, encoding: 'rate' }),
  });
  c.training = { ...c.training, epochs: 2, batchSize: 100 };
  return c;
}

/** Trains `config`, stopping now after batch `batch` of epoch `epoch`; returns the mid-epoch checkpoint. */
async function stopInside(
  config: RunConfig,
  epoch: number,
  batch: number,
): Promise<{ checkpoint: Uint8Array; epochs: number }> {
  const ac = new AbortController();
  let handed: { epoch: number; batch: number; checkpoint: Uint8Array } | null = null;
  const result = await trainModel({
    config,
    data: small,
    signal: ac.signal,
    livePositionsMs: 1e-9, // onPositions after every batch: the hook that stops at an exact batch
    callbacks: {
      onPositions: (p) => {
        if (p.epoch === epoch && p.batch === batch) ac.abort();
      },
      onInterrupt: (p) => void (handed = p),
    },
  });
  expect(result.status).toBe('interrupted');
  expect(handed).not.toBeNull();
  const h = handed as unknown as { epoch: number; batch: number; checkpoint: Uint8Array };
  expect([h.epoch, h.batch]).toEqual([epoch, batch]);
  return { checkpoint: h.checkpoint, epochs: result.epochs.length };
}

describe('stop now', () => {
  it.each([
    ['spatial, learned gaps (TensorFlow.js engine)', spatial, 2, 4],
    ['spatial on the WebAssembly engine', simd, 2, 5],
    ['spiking, rate-coded input (the spike stream is restored too)', rateCodedSnn, 1, 7],
  ] as const)(
    'resumes from the mid-epoch checkpoint to the same final bytes: %s',
    async (_label, make, epoch, batch) => {
      const straight = await trainModel({ config: make(), data: small });
      const { checkpoint, epochs } = await stopInside(make(), epoch, batch);
      expect(epochs).toBe(epoch - 1);
      const meta = decodeCheckpoint(checkpoint).meta;
      expect(meta.epoch).toBe(epoch - 1);
      expect(meta.partial).toMatchObject({ epoch, batch, seen: batch * 100 });
      let startEpoch = -1;
      const resumed = await trainModel({
        config: make(),
        data: small,
        resume: checkpoint,
        callbacks: { onStart: (info) => void (startEpoch = info.startEpoch) },
      });
      expect(startEpoch).toBe(epoch - 1);
      expect(resumed.status).toBe('completed');
      expect(numbers(resumed.epochs)).toEqual(numbers(straight.epochs));
      expect(Buffer.from(resumed.finalModel).equals(Buffer.from(straight.finalModel))).toBe(true);
    },
  );

  // exact over many steps and repeated resumes because checkpoints keep Adam's bias-correction
  // accumulators (meta.adam); tfjs's setWeights alone recomputes beta^t by pow() and drifts
  it('a second stop inside the resumed epoch continues exactly as well', async () => {
    const first = await stopInside(spatial(), 2, 3);
    expect(decodeCheckpoint(first.checkpoint).meta.adam).toBeDefined();
    const straight = await trainModel({ config: spatial(), data: small });
    const ac = new AbortController();
    let second: Uint8Array | null = null;
    await trainModel({
      config: spatial(),
      data: small,
      resume: first.checkpoint,
      signal: ac.signal,
      livePositionsMs: 1e-9,
      callbacks: {
        onPositions: (p) => p.epoch === 2 && p.batch === 6 && ac.abort(),
        onInterrupt: (p) => void (second = p.checkpoint),
      },
    });
    expect(decodeCheckpoint(second!).meta.partial?.batch).toBe(6);
    const resumed = await trainModel({ config: spatial(), data: small, resume: second! });
    expect(Buffer.from(resumed.finalModel).equals(Buffer.from(straight.finalModel))).toBe(true);
  });

  it.each([
    ['TensorFlow.js', spatial],
    ['WebAssembly', simd],
  ] as const)('after 150 batches of an epoch too (%s engine)', async (_label, make) => {
    const data = loadDataset({ name: 'mnist', trainSize: 20_000, testSize: 100 });
    const config = (): RunConfig => ({ ...make(), training: { ...make().training, epochs: 1 } });
    const ac = new AbortController();
    let checkpoint: Uint8Array | null = null;
    await trainModel({
      config: config(),
      data,
      signal: ac.signal,
      livePositionsMs: 1e-9,
      callbacks: {
        onPositions: (p) => p.batch === 150 && ac.abort(),
        onInterrupt: (p) => void (checkpoint = p.checkpoint),
      },
    });
    const straight = await trainModel({ config: config(), data });
    const resumed = await trainModel({ config: config(), data, resume: checkpoint! });
    expect(Buffer.from(resumed.finalModel).equals(Buffer.from(straight.finalModel))).toBe(true);
  });
});

describe('stop after this epoch', () => {
  it('finishes the epoch in progress, hands it out, then ends interrupted', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    let interrupted = false;
    const result = await trainModel({
      config: spatial(),
      data: small,
      stopAfterEpoch: stop.signal,
      livePositionsMs: 1e-9,
      callbacks: {
        onPositions: (p) => p.epoch === 2 && p.batch === 2 && stop.abort(),
        onEpoch: (e) => void seen.push(e.metrics.epoch),
        onInterrupt: () => void (interrupted = true),
      },
    });
    expect(result.status).toBe('interrupted');
    expect(seen).toEqual([1, 2]);
    expect(interrupted).toBe(false);
  });
});
