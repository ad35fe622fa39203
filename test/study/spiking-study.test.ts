/**
 * A pruning study whose model is a small SPIKING run (preset snn-quick shrunk to 784-16-10, T = 4,
 * 1 epoch on 600 MNIST images, 200 test images): post and during at 50 % complete, every point's
 * sparsity is the rate to within one connection, and the during-run is spiking AND pruned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { RunStore } from '../../src/core/store/index';
import { runStudy, studyTag } from '../../src/core/study/index';
import { runTraining } from '../../src/core/train/run-training';
import { tempDir } from './helpers';

const LAYERS = [784, 16, 10];
/** connections of 784-16-10: 784*16 + 16*10 */
const CONNECTIONS = LAYERS.slice(1).reduce((n, out, i) => n + LAYERS[i] * out, 0);

const tmp = tempDir('sen-study-snn-');
let store: RunStore;
let baseId: string;

beforeAll(async () => {
  store = RunStore.open(tmp.db);
  const config = buildRunConfig({
    preset: 'snn-quick',
    overrides: { layers: LAYERS, timeSteps: 4, epochs: 1, trainSize: 600, testSize: 200, seed: 1 },
  });
  expect(config.model.spiking?.timeSteps).toBe(4);
  const result = await runTraining({ store, config, name: 'tiny snn' });
  if (result.status !== 'completed') throw new Error(`spiking training ended ${result.status}`);
  baseId = result.runId;
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('runStudy on a spiking model', () => {
  it('post and during at 50 %: completes, sparsity = rate within one connection, the during-run is spiking and pruned', async () => {
    expect(CONNECTIONS).toBe(12_704);
    const study = await runStudy({
      store,
      spec: {
        name: 'snn study',
        models: [{ runId: baseId, label: 'snn' }],
        rates: [0.5],
        modes: ['post', 'during'],
        seeds: [1],
        epochs: 1,
        trainSize: 600,
        testSize: 200,
      },
    });
    expect(study).toMatchObject({ status: 'completed', done: 2, total: 2, error: null });
    expect(study.results.map((r) => [r.model, r.mode, r.rate]).sort()).toEqual([
      ['snn', 'during', 0.5],
      ['snn', 'post', 0.5],
    ]);
    for (const r of study.results) {
      expect(Math.abs(r.sparsity - r.rate) * CONNECTIONS).toBeLessThanOrEqual(1 + 1e-9);
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
    }

    const post = study.results.find((r) => r.mode === 'post')!;
    expect(post.runId).toBe(baseId);
    expect(store.getRun(baseId).config.pruning).toBeUndefined(); // the stored base run is not changed

    const during = study.results.find((r) => r.mode === 'during')!;
    expect(during.runId).not.toBe(baseId);
    const run = store.getRun(during.runId);
    expect(run.status).toBe('completed');
    expect(run.config.model.spiking).toBeDefined();
    expect(run.config.model.spiking?.timeSteps).toBe(4);
    expect(run.config.pruning).toMatchObject({ rate: 0.5 });
    expect(run.config.model.layers).toEqual(LAYERS);
    expect(run.tags).toEqual([studyTag(study.id)]);
    expect(during.testAccuracy).toBe(run.testAccuracy);
  });
});
