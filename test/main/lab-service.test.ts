/**
 * The lab service against a temporary database, with real training (tiny MNIST subset) in
 * worker threads: events, stop/resume, failures before a run exists, refusals.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { FASHION_MNIST_DIR } from '../../src/core/data/index';
import { countParams } from '../../src/core/model/param-count';
import { PRESETS } from '../../src/core/model/presets';
import { RunStore } from '../../src/core/store/index';
import { LabService } from '../../src/main/services/lab-service';
import { base64ToBytes, decodeArrays } from '../../src/shared/codec';
import { writeTinySet } from '../fixtures/idx';
import { EventLog, tempDir, tinyConfig } from './helpers';

const tmp = tempDir();
let service: LabService;
const log = new EventLog();

beforeAll(() => {
  // live positions as often as possible, so even a one-second run sends some
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test', livePositionsMs: 1 });
  service.onAny((event, payload) => log.push({ event, payload } as never));
});

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

describe('LabService: catalog and checks', () => {
  it('lists every preset with its config and exact parameter count', async () => {
    const presets = await service.listPresets();
    expect(presets.map((p) => p.name)).toEqual(PRESETS.map((p) => p.name));
    for (const p of presets) expect(p.params).toBe(countParams(p.config.model));
    expect(presets.find((p) => p.name === 'paper-3d')?.params).toBe(10_576);
  });

  it('lists mnist as available and fashion-mnist as available iff its folder exists', async () => {
    const [mnist, fashion] = await service.listDatasets();
    expect(mnist).toMatchObject({ name: 'mnist', available: true });
    expect(fashion.name).toBe('fashion-mnist');
    expect(fashion.available).toBe(existsSync(FASHION_MNIST_DIR));
    if (!fashion.available) expect(fashion.detail).toContain('apt-get install dataset-fashion-mnist');
  });

  it('checkConfig counts parameters and names the offending field', async () => {
    const config = tinyConfig();
    const checked = await service.checkConfig(config);
    expect(checked.params).toBe(countParams(config.model));
    expect(checked.memory).toMatchObject({ fits: true, problem: null });
    expect(checked.memory!.bytes).toBeGreaterThan(0);
    expect(checked.memory!.bytes).toBeLessThan(checked.memory!.limitBytes);
    const bad = { ...config, training: { ...config.training, epochs: 0 } };
    await expect(service.checkConfig(bad)).rejects.toMatchObject({
      name: 'LabValidationError',
      field: 'training.epochs',
    });
    await expect(service.checkConfig({ ...config, model: { ...config.model, layers: [784, -1, 10] } })).rejects.toThrow(
      /model\.layers\[1\]/,
    );
    await expect(service.checkConfig({ ...config, dataset: { name: join(tmp.dir, 'nope') } })).rejects.toMatchObject({
      field: 'dataset.name',
    });
  });

  it('reports status: db path, no backend before the first run, no active runs', async () => {
    await expect(service.getStatus()).resolves.toMatchObject({
      backend: null,
      dbPath: tmp.db,
      activeRunIds: [],
      queuedRunIds: [],
    });
    await expect(service.getVersion()).resolves.toMatchObject({ app: '0.0.0-test', electron: null });
  });
});

describe('LabService: training', () => {
  it('startRun resolves with the stored run, then events arrive in order and the run completes', async () => {
    const summary = await service.startRun(tinyConfig(), { name: 'tiny', tags: ['a', 'b'] });
    expect(summary).toMatchObject({ name: 'tiny', tags: ['a', 'b'], status: 'running', epochsPlanned: 2 });
    const status = await service.getStatus();
    expect(status.activeRunIds).toContain(summary.id);
    expect(status.backend).toMatch(/^(tensorflow|wasm|cpu|sen-simd \(\d+ threads?\))$/);

    await log.waitForStatus(summary.id, 'completed');
    const events = log.forRun(summary.id);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('run/status');
    expect(names.at(-1)).toBe('run/status');
    expect(events.at(-1)?.payload).toEqual({ runId: summary.id, status: 'completed' });
    const epochs = events.flatMap((e) => (e.event === 'run/epoch' ? [e.payload.metrics.epoch] : []));
    expect(epochs).toEqual([1, 2]);
    expect(names.indexOf('run/progress')).toBeGreaterThan(0);
    expect(names.indexOf('run/progress')).toBeLessThan(names.indexOf('run/epoch'));

    const positions = events.flatMap((e) => (e.event === 'run/positions' ? [e.payload] : []));
    expect(positions.length).toBeGreaterThan(0);
    const decoded = decodeArrays(base64ToBytes(positions[0].blob));
    expect(decoded.arrays.length).toBeGreaterThan(0);
    for (const a of decoded.arrays) expect(a.data.every(Number.isFinite)).toBe(true);

    const run = await service.getRun(summary.id);
    expect(run).toMatchObject({ status: 'completed', epochsDone: 2 });
    await expect(service.getSnapshotEpochs(summary.id)).resolves.toEqual([0, 1, 2]);
    const snap = await service.getSnapshot(summary.id.slice(0, 6), 2);
    expect(snap.runId).toBe(summary.id);
    expect(decodeArrays(base64ToBytes(snap.blob)).arrays.length).toBe(decoded.arrays.length);
    expect((await service.getStatus()).activeRunIds).not.toContain(summary.id);
  });

  it("a run on an IDX folder with a classes.txt carries the folder's class names (Live, Run detail)", async () => {
    const dir = join(tmp.dir, 'named-set');
    writeTinySet(dir, { classes: 3 });
    writeFileSync(join(dir, 'classes.txt'), 'cat\ndog\nbird\n');
    const config = buildRunConfig({
      overrides: { layers: [6, 4, 3], dataset: dir, trainSize: 6, testSize: 4, epochs: 1, batchSize: 3 },
    });
    const summary = await service.startRun(config, { name: 'named classes' });
    await log.waitForStatus(summary.id, 'completed');
    expect((await service.getRun(summary.id)).classNames).toEqual(['cat', 'dog', 'bird']);
    writeFileSync(join(dir, 'classes.txt'), 'cat\ndog\n'); // edited since: no longer one name per class
    expect((await service.getRun(summary.id)).classNames).toBeUndefined();
  });

  it('stopRun ends a run as interrupted; resumeRun completes it', async () => {
    const { id } = await service.startRun(tinyConfig({ epochs: 4 }));
    await log.waitFor((e) => e.event === 'run/epoch' && e.payload.runId === id);
    await service.stopRun(id);
    await log.waitForStatus(id, 'interrupted');
    const stopped = await service.getRun(id);
    expect(stopped.epochsDone).toBeGreaterThanOrEqual(1);
    expect(stopped.epochsDone).toBeLessThan(4);
    await expect(service.stopRun(id)).rejects.toMatchObject({
      name: 'LabStateError',
      message: expect.stringContaining('not training'),
    });

    const resumed = await service.resumeRun(id);
    expect(resumed).toMatchObject({ id, status: 'running' });
    await log.waitForStatus(id, 'completed');
    expect((await service.getRun(id)).epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    await expect(service.resumeRun(id)).rejects.toThrow(/already completed/);
  });

  it('startRun with a corrupt data set rejects naming the file and stores nothing', async () => {
    const before = (await service.listRuns({ includeArchived: true })).length;
    const dir = join(tmp.dir, 'corrupt');
    mkdirSync(dir);
    for (const f of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ]) {
      writeFileSync(join(dir, f), Buffer.from([0, 0, 8, 3, 0, 0])); // a truncated header
    }
    const config = { ...tinyConfig(), dataset: { name: dir } };
    // every file is damaged: the error names the first one read and what is wrong with it
    await expect(service.startRun(config)).rejects.toThrow(/corrupt\/train-(images|labels)-idx[13]-ubyte: truncated/);
    expect(await service.listRuns({ includeArchived: true })).toHaveLength(before);
  });

  it('refuses to delete a running run, deletes it once stopped; unknown ids fail clearly', async () => {
    const { id } = await service.startRun(tinyConfig({ epochs: 50 }));
    await expect(service.deleteRun(id)).rejects.toMatchObject({
      name: 'LabStateError',
      message: expect.stringContaining('stop it'),
    });
    await service.stopRun(id);
    await log.waitForStatus(id, 'interrupted');
    await service.deleteRun(id);
    await expect(service.getRun(id)).rejects.toMatchObject({ name: 'StoreError', code: 'not-found' });
    await expect(service.stopRun('rnothere0')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('edits runs and filters the list', async () => {
    const [run] = await service.listRuns();
    await service.renameRun(run.id, 'renamed');
    await service.setTags(run.id, ['x']);
    await service.setNotes(run.id, 'a note');
    await service.setArchived(run.id, true);
    expect((await service.listRuns()).map((r) => r.id)).not.toContain(run.id);
    const [found] = await service.listRuns({ includeArchived: true, tag: 'x', search: 'renamed' });
    expect(found).toMatchObject({ id: run.id, name: 'renamed', notes: 'a note', archived: true });
  });
});

describe('LabService.close', () => {
  it('stops running trainings (stored interrupted, resumable) and closes the store', async () => {
    const t = tempDir();
    const own = LabService.open({ dbPath: t.db, appVersion: 'x' });
    const ownLog = new EventLog();
    own.onAny((event, payload) => ownLog.push({ event, payload } as never));
    const { id } = await own.startRun(tinyConfig({ epochs: 50 }));
    await ownLog.waitFor((e) => e.event === 'run/epoch');
    await own.close();
    await expect(own.startRun(tinyConfig())).rejects.toMatchObject({ name: 'LabStateError' });
    const store = RunStore.open(t.db);
    try {
      // a graceful stop: finished by us (error null), not recovered from a dead process
      expect(store.getRun(id)).toMatchObject({ status: 'interrupted', error: null });
      expect(store.getLatestCheckpoint(id)).not.toBeNull();
    } finally {
      store.close();
      t.cleanup();
    }
  });
});
