/**
 * Per-step history (issue 14 §2): the trainer hands out the running train loss / accuracy every N
 * steps (N from the planned steps, at most MAX_STEP_POINTS points), runTraining stores them, and a
 * run stopped inside an epoch and resumed continues the same step numbering.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { RunStore } from '../../src/core/store/index';
import { runTraining } from '../../src/core/train/run-training';
import { MAX_STEP_POINTS, stepInterval } from '../../src/shared/step-history';
import { tempDir } from '../cli/helpers';

const tmp = tempDir('sen-lab-steps-');
const store = RunStore.open(tmp.db);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('stepInterval', () => {
  it('keeps at most MAX_STEP_POINTS points', () => {
    expect(stepInterval(20)).toBe(1);
    expect(stepInterval(MAX_STEP_POINTS)).toBe(1);
    expect(stepInterval(300 * 100)).toBe(15); // the paper's 300 epochs of 100 batches
    for (const total of [1, 1999, 2001, 12_345, 1_000_000])
      expect(Math.floor(total / stepInterval(total))).toBeLessThanOrEqual(MAX_STEP_POINTS);
  });
});

describe('stored step history', () => {
  it('has one point per step for a short run, with epoch, batch, samples and a running loss', async () => {
    const config = buildRunConfig({
      overrides: { layers: [784, 16, 10], trainSize: 600, testSize: 100, epochs: 2, batchSize: 100 },
    });
    const { runId } = await runTraining({ store, config });
    const steps = store.getSteps(runId);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(steps[6]).toMatchObject({ step: 7, epoch: 2, batch: 1, samples: 700 });
    for (const s of steps) {
      expect(s.loss).toBeGreaterThan(0);
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
    expect(steps[11].timeMs).toBeGreaterThan(steps[0].timeMs);
    // the mean of an epoch's step losses is that epoch's stored train loss (one point per step, equal batches)
    const epoch1 = steps.filter((s) => s.epoch === 1).reduce((t, s) => t + s.loss, 0) / 6;
    expect(epoch1).toBeCloseTo(store.getRun(runId).epochs[0].trainLoss, 6);
  });

  it('a run stopped inside an epoch and resumed continues the numbering without gaps', async () => {
    const config = buildRunConfig({
      overrides: { layers: [784, 16, 10], trainSize: 2000, testSize: 100, epochs: 2, batchSize: 100 },
    });
    const ac = new AbortController();
    const first = await runTraining({
      store,
      config,
      signal: ac.signal,
      onProgress: (p) => p.type === 'batch' && p.epoch === 1 && p.batch >= 3 && ac.abort(),
    });
    expect(first.status).toBe('interrupted');
    const before = store.getSteps(first.runId).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(40);
    await runTraining({ store, resumeId: first.runId });
    expect(store.getSteps(first.runId).map((s) => s.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
