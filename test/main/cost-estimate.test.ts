/**
 * Issue 14 §6: one estimator for every form and the CLI. `estimateCost` counts the trainings of
 * configs / a study / a reproduction and times them with the network's speed: recorded by this
 * store's completed runs, else measured once here; `reproduce --dry-run` reads the same speeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost as reproduceCost } from '../../src/core/reproduce/estimate';
import { LabService } from '../../src/main/services/lab-service';
import { tempDir, tinyConfig } from './helpers';

const tmp = tempDir('sen-lab-cost-');
let service: LabService;
beforeAll(() => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test' });
});
afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

async function waitCompleted(id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const s = (await service.getRun(id)).status;
    if (s === 'completed') return;
    if (s === 'failed') throw new Error(`run ${id} failed`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not complete`);
}

describe('estimateCost', () => {
  it('measures a network never trained here, groups trainings by network and sums epochs x images / speed', async () => {
    const a = tinyConfig({ epochs: 2 });
    const b = tinyConfig({ epochs: 4 });
    const e = await service.estimateCost({ configs: [a, b] });
    expect(e.trainings).toBe(2);
    expect(e.groups).toHaveLength(1);
    const [g] = e.groups;
    expect(g).toMatchObject({ model: 'spatial 784-16-10', count: 2, epochs: 4, trainImages: 600, source: 'measured' });
    expect(g.samplesPerSec).toBeGreaterThan(0);
    expect(e.seconds).toBeCloseTo(((2 + 4) * 600) / g.samplesPerSec, 6);
    // reproduce --dry-run's estimator reads the same (cached) measurement: one estimator
    const [line] = await reproduceCost([
      { experiment: 'x', model: 'tiny', count: 1, epochs: 2, trainImages: 600, config: a },
    ]);
    expect(line.samplesPerSec).toBe(g.samplesPerSec);
  }, 60_000);

  it('uses the speed recorded by a completed run of the network once there is one', async () => {
    const config = tinyConfig({ epochs: 1 });
    const run = await service.startRun(config);
    await waitCompleted(run.id);
    const recorded = (await service.getRun(run.id)).epochs[0].samplesPerSec;
    const e = await service.estimateCost({ configs: [config] });
    expect(e.groups[0]).toMatchObject({ source: 'recorded', samplesPerSec: recorded });
  }, 120_000);

  it('counts a study as the form does: a base training per preset and seed, one per rate and seed during training', async () => {
    const e = await service.estimateCost({
      study: {
        models: [{ preset: 'quick' }],
        seeds: [1, 2],
        rates: [0.5],
        modes: ['post', 'during'],
        epochs: 1,
        trainSize: 600,
        testSize: 100,
      },
    });
    expect(e.trainings).toBe(4);
    expect(e.groups[0]).toMatchObject({ model: 'spatial 784-128-10', epochs: 1, trainImages: 600 });
    expect(e.seconds).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a bad config, naming the field', async () => {
    const bad = tinyConfig();
    bad.training.epochs = 0;
    await expect(service.estimateCost({ configs: [bad] })).rejects.toThrow(/epochs/);
  });
});
