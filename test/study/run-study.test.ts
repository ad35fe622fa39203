/**
 * A tiny pruning study with real training (784-16-10 and preset quick, 1 epoch on 1000 MNIST
 * images, 300 test images): stored points and links, reuse of every run on a rerun, interrupt and
 * rerun without duplicates, failures stored as 'failed'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configKey, duringConfig, runStudy, studyTag } from '../../src/core/study/index';
import { RunStore } from '../../src/core/store/index';
import type { StudyProgressEvent, StudySpec } from '../../src/shared/lab-api';
import { tempDir, tinyConfig, trainTiny } from './helpers';

const tmp = tempDir('sen-study-run-');
let store: RunStore;
let baseId: string;

beforeAll(async () => {
  store = RunStore.open(tmp.db);
  baseId = await trainTiny(store);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function spec(): StudySpec {
  return {
    name: 'tiny study',
    models: [{ runId: baseId, label: 'tiny' }, { preset: 'quick' }],
    rates: [0.5, 0.9],
    modes: ['post', 'during'],
    seeds: [1],
    epochs: 1,
    trainSize: 1000,
    testSize: 300,
  };
}

describe('runStudy', () => {
  let firstRuns: string[];

  it('measures every model x mode x rate, linking each point to its run', async () => {
    const events: StudyProgressEvent[] = [];
    const study = await runStudy({ store, spec: spec(), onProgress: (e) => events.push(e) });
    expect(study).toMatchObject({ status: 'completed', done: 8, total: 8, error: null });
    expect(study.results).toHaveLength(8);
    const tag = studyTag(study.id);

    // 'post': the base run, pruned copies; the stored run is not changed
    const tinyPost = study.results.filter((r) => r.model === 'tiny' && r.mode === 'post');
    expect(tinyPost.map((r) => [r.rate, r.runId, r.seed])).toEqual([
      [0.5, baseId, 1],
      [0.9, baseId, 1],
    ]);
    expect(tinyPost[1].sparsity).toBeCloseTo(0.9, 3);
    const quickBase = study.baselines.find((b) => b.model === 'quick')!;
    const quickRun = store.getRun(quickBase.runIds[0]);
    expect(quickRun.config.training).toMatchObject({ seed: 1, epochs: 1 });
    expect(quickRun.config.dataset).toEqual({ name: 'mnist', trainSize: 1000, testSize: 300 });
    expect(quickRun.config.pruning).toBeUndefined();
    expect(quickRun.tags).toEqual([tag]);
    expect(
      study.results.filter((r) => r.model === 'quick' && r.mode === 'post').every((r) => r.runId === quickRun.id),
    ).toBe(true);
    expect(study.baselines).toEqual([
      { model: 'tiny', testAccuracy: store.getRun(baseId).testAccuracy, runIds: [baseId] },
      { model: 'quick', testAccuracy: quickRun.testAccuracy, runIds: [quickRun.id] },
    ]);

    // 'during': one run per model and rate, trained with constant pruning at that rate
    const during = study.results.filter((r) => r.mode === 'during');
    expect(new Set(during.map((r) => r.runId)).size).toBe(4);
    for (const r of during) {
      const run = store.getRun(r.runId);
      expect(run.config.pruning).toEqual({ rate: r.rate, scope: 'global', schedule: 'constant' });
      expect(run.tags).toEqual([tag]);
      expect(r.testAccuracy).toBe(run.testAccuracy);
      expect(Math.abs(r.sparsity - r.rate)).toBeLessThan(1e-3);
      const base = r.model === 'tiny' ? tinyConfig() : quickRun.config;
      expect(configKey(run.config)).toBe(configKey(duringConfig(base, r.rate, 'global')));
    }

    expect(events[0]).toMatchObject({ studyId: study.id, done: 0, total: 8, status: 'running' });
    expect(events.at(-1)).toMatchObject({ done: 8, total: 8, status: 'completed' });
    expect(events.some((e) => e.message === 'training quick seed 1 (during, 90%)')).toBe(true);
    firstRuns = store.listRuns().map((r) => r.id);
    expect(firstRuns).toHaveLength(1 + 1 + 4);
  });

  it('a second identical study reuses every run: same points, no new runs', async () => {
    const first = store.listStudies()[0];
    const again = await runStudy({ store, spec: spec() });
    expect(again.id).not.toBe(first.id);
    expect(again.status).toBe('completed');
    expect(store.listRuns().map((r) => r.id)).toEqual(firstRuns);
    const strip = (rs: typeof again.results): unknown => rs.map(({ runId, ...r }) => ({ ...r, runId }));
    expect(strip(again.results)).toEqual(strip(store.getStudy(first.id).results));
  });

  it('interrupted, then rerun: finishes without duplicate runs or points', async () => {
    const s: StudySpec = { models: [{ runId: baseId, label: 'tiny' }], rates: [0.3, 0.7], modes: ['during'] };
    const controller = new AbortController();
    let trainings = 0;
    const stopped = await runStudy({
      store,
      spec: s,
      signal: controller.signal,
      onTraining: (p) => {
        if (p.type === 'ready' && ++trainings === 2) controller.abort(); // stop the second training
      },
    });
    expect(stopped).toMatchObject({ status: 'interrupted', done: 1, total: 2, error: null });
    const half = store.listRuns({ tag: studyTag(stopped.id) });
    expect(half.map((r) => r.status).sort()).toEqual(['completed', 'interrupted']);

    const rerun = await runStudy({ store, spec: s });
    expect(rerun).toMatchObject({ status: 'completed', done: 2, total: 2 });
    const runIds = rerun.results.map((r) => r.runId);
    expect(new Set(runIds).size).toBe(2);
    expect(runIds.sort()).toEqual(half.map((r) => r.id).sort()); // the interrupted run was resumed, not replaced
    const resumed = store.getRun(half.find((r) => r.status === 'interrupted')!.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.tags).toEqual([studyTag(stopped.id), studyTag(rerun.id)]);
    for (const rate of [0.3, 0.7]) {
      const same = store.listRuns().filter((r) => store.getRun(r.id).config.pruning?.rate === rate);
      expect(same).toHaveLength(1);
    }
    expect(store.getStudy(stopped.id).results).toHaveLength(1); // the interrupted study keeps what it measured
  });

  it('a training that cannot start fails the study with its message', async () => {
    const study = await runStudy({
      store,
      spec: { models: [{ preset: 'quick' }], trainSize: 99_999, epochs: 1, rates: [0.5] },
    });
    expect(study.status).toBe('failed');
    expect(study.error).toMatch(/the training subset can be at most 60,000, not 99,999/);
    expect(study.results).toEqual([]);
  });

  it('an invalid spec is refused before anything is stored', async () => {
    const before = store.listStudies().length;
    await expect(runStudy({ store, spec: { models: [{ preset: 'quick' }], rates: [0.5, 1.2] } })).rejects.toMatchObject(
      {
        name: 'LabValidationError',
        field: 'rates[1]',
      },
    );
    expect(store.listStudies()).toHaveLength(before);
  });
});
