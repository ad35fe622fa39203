/**
 * Determinism under every TensorFlow.js backend the engine may pick (in the manner of tfjs's
 * describeWithFlags): each backend that loads here gets the block, with every tfjs-side kernel of
 * the config schema. A backend that does not load is a skipped test saying why (the summary prints
 * it), so nothing passes by not running. The simd engine does not use a tfjs backend; its
 * determinism and gradients are checked in trainer.test.ts and gradients.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/core/data';
import type { Dataset } from '../../src/core/data/types';
import { presetConfig, spatialSpec } from '../../src/core/model/presets';
import { initBackend, trySetBackend } from '../../src/core/train/backend';
import { trainModel } from '../../src/core/train/trainer';
import type { EpochMetrics, RunConfig, SpatialKernelName } from '../../src/shared/run-config';
import { KERNELS, TFJS_BACKENDS } from '../../src/shared/schema/enums';

/** The kernels that run on a tfjs backend (every one but the simd engine's own). */
const TFJS_KERNELS = KERNELS.filter((k): k is Exclude<SpatialKernelName, 'simd'> => k !== 'simd');

let data: Dataset;
beforeAll(async () => {
  await initBackend(); // the trainer's own pick happens once, here; each block below then switches
  data = loadDataset({ name: 'mnist', trainSize: 400, testSize: 100 });
});

function tinyConfig(kernel: SpatialKernelName, seed = 1): RunConfig {
  const c = presetConfig('quick');
  c.model = spatialSpec([784, 12, 10], { zMode: 'relaxed' });
  c.training = { ...c.training, epochs: 1, batchSize: 100, seed };
  c.kernel = kernel;
  return c;
}

const numbers = (ms: EpochMetrics[]) => ms.map(({ durationMs: _d, samplesPerSec: _s, ...rest }) => rest);

/** Switch tfjs to `name`; the reason it cannot be used here (the skip reason), or undefined. */
async function use(name: (typeof TFJS_BACKENDS)[number]): Promise<string | undefined> {
  const why = await trySetBackend(name);
  return why && `backend ${name} does not load here: ${why}`;
}

describe.each(TFJS_BACKENDS)('backend %s', (backend) => {
  let unusable: string | undefined;
  beforeAll(async () => {
    unusable = await use(backend);
  });

  it.for(TFJS_KERNELS)('kernel %s: the same seed gives the same metrics and model bytes', async (kernel, ctx) => {
    if (unusable) return ctx.skip(unusable);
    const a = await trainModel({ config: tinyConfig(kernel), data });
    const b = await trainModel({ config: tinyConfig(kernel), data });
    expect(a.backend).toBe(backend);
    expect(numbers(a.epochs)).toEqual(numbers(b.epochs));
    expect(Buffer.from(a.finalModel).equals(Buffer.from(b.finalModel))).toBe(true);
    const c = await trainModel({ config: tinyConfig(kernel, 2), data });
    expect(numbers(c.epochs)).not.toEqual(numbers(a.epochs));
  });
});
