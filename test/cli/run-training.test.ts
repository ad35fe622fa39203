import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { RunStore } from '../../src/core/store/index';
import { runTraining, TrainingAbortedError, type TrainingProgress } from '../../src/core/train/run-training';
import { tempDir } from './helpers';

const tmp = tempDir('sen-lab-run-training-');
const store = RunStore.open(tmp.db);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const small = buildRunConfig({ overrides: { epochs: 2, trainSize: 500, testSize: 100 } });

describe('runTraining (worker thread + store), in-process', () => {
  it('trains, reports progress in order and stores epochs, snapshots and the final model', async () => {
    const events: TrainingProgress['type'][] = [];
    const r = await runTraining({
      store,
      config: small,
      tags: ['t'],
      livePositionsMs: 1,
      onProgress: (e) => events.push(e.type),
    });
    expect(r).toMatchObject({ status: 'completed', epochs: 2, epochsPlanned: 2, params: 2896, resumed: false });
    expect(events[0]).toBe('ready');
    expect(events.filter((e) => e === 'epoch')).toHaveLength(2);
    expect(events).toContain('positions');
    const run = store.getRun(r.runId);
    expect(run.tags).toEqual(['t']);
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(store.getSnapshotEpochs(r.runId)).toEqual([0, 1, 2]);
    expect(store.getFinalModel(r.runId)).toBeInstanceOf(Uint8Array);
    expect(store.getLatestCheckpoint(r.runId)?.epoch).toBe(2);
  });

  it('stores nothing when the data set cannot be loaded', async () => {
    const before = store.listRuns({ includeArchived: true }).length;
    const bad = { ...small, dataset: { name: '/nonexistent/sen-lab-data' } };
    await expect(runTraining({ store, config: bad })).rejects.toThrow(/nonexistent/);
    expect(store.listRuns({ includeArchived: true })).toHaveLength(before);
  });

  it('an abort before the worker is ready stores nothing', async () => {
    const before = store.listRuns({ includeArchived: true }).length;
    const controller = new AbortController();
    const p = runTraining({ store, config: small, signal: controller.signal });
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(TrainingAbortedError);
    expect(store.listRuns({ includeArchived: true })).toHaveLength(before);
  });

  it('a resume that never starts gives its claim back: the run is as it was', async () => {
    const bad = { ...small, dataset: { name: '/nonexistent/sen-lab-data' } };
    const id = store.createRun({ config: bad, backend: 'cpu', params: 1 }).id;
    store.finishRun(id, 'interrupted', { error: 'stopped by hand' });
    const before = store.getRun(id);
    await expect(runTraining({ store, resumeId: id })).rejects.toThrow(/nonexistent/);
    expect(store.getRun(id)).toEqual(before);
    const controller = new AbortController();
    controller.abort();
    await expect(runTraining({ store, resumeId: id, signal: controller.signal })).rejects.toBeInstanceOf(
      TrainingAbortedError,
    );
    expect(store.getRun(id)).toEqual(before);
    expect(store.liveWriterOf(id)).toBeNull();
  });

  it('an abort during training keeps finished epochs as interrupted; resume completes', async () => {
    const controller = new AbortController();
    const config = buildRunConfig({ overrides: { epochs: 4, trainSize: 1000, testSize: 100 } });
    const r = await runTraining({
      store,
      config,
      signal: controller.signal,
      onProgress: (e) => e.type === 'epoch' && e.metrics.epoch === 1 && controller.abort(),
    });
    expect(r.status).toBe('interrupted');
    expect(store.getRun(r.runId).epochsDone).toBe(r.epochs);
    const resumed = await runTraining({ store, resumeId: r.runId });
    expect(resumed).toMatchObject({ runId: r.runId, status: 'completed', epochs: 4, resumed: true });
    expect(store.getRun(r.runId).epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  });
});
