/**
 * The lab service's pruning methods against a temporary database with real training: pruneRun
 * (in a worker thread), studies in the background with 'study/progress' events, stop, delete,
 * close, and one study started over HTTP through the browser-mode server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { startLabServer, type LabServer } from '../../src/main/server/index';
import { LabService } from '../../src/main/services/lab-service';
import type { StudyProgressEvent, StudySpec } from '../../src/shared/lab-api';
import type { ModelSpec } from '../../src/shared/model-spec';
import { tinyConfig as tinyStudyConfig, trainTiny } from '../study/helpers';
import { EventLog, tempDir } from './helpers';

const tmp = tempDir('sen-lab-study-service-');
const log = new EventLog();
let service: LabService;
let baseId: string;

beforeAll(async () => {
  const store = RunStore.open(tmp.db);
  try {
    baseId = await trainTiny(store);
  } finally {
    store.close();
  }
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test' });
  service.onAny((event, payload) => log.push({ event, payload } as never));
});
afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

function progressOf(studyId: string): StudyProgressEvent[] {
  return log.events.flatMap((e) => (e.event === 'study/progress' && e.payload.studyId === studyId ? [e.payload] : []));
}

function waitForStudy(studyId: string, status: string, ms = 60_000): Promise<unknown> {
  return log.waitFor(
    (e) => e.event === 'study/progress' && e.payload.studyId === studyId && e.payload.status === status,
    ms,
  );
}

describe('LabService.pruneRun', () => {
  it('evaluates pruned copies in a worker thread, by rate and by distance', async () => {
    const results = await service.pruneRun(baseId, { rates: [0, 0.5, 0.9], maxDistances: [1e9], testSize: 200 });
    expect(results.map((r) => [r.rate, r.maxDistance])).toEqual([
      [0, null],
      [0.5, null],
      [0.9, null],
      [null, 1e9],
    ]);
    expect(results[0].sparsity).toBe(0);
    expect(results[1].sparsity).toBeCloseTo(0.5, 3);
    expect(results[3].pruned).toBe(0); // nothing is longer than 1e9
    expect(results[0].testAccuracy).toBe(results[3].testAccuracy);
    const defaults = await service.pruneRun(baseId, {});
    expect(defaults.map((r) => r.rate)).toEqual([0.2, 0.4, 0.6, 0.8, 0.9, 0.95]);
  });

  it('refuses unknown runs, runs without a model and distances on dense models', async () => {
    await expect(service.pruneRun('rnothere00', {})).rejects.toMatchObject({ name: 'StoreError', code: 'not-found' });
    const denseModel: ModelSpec = { kind: 'dense', layers: [784, 8, 10], hiddenActivation: 'relu' };
    const dense = await service.startRun({ ...tinyStudyConfig(), model: denseModel });
    await expect(service.pruneRun(dense.id, {})).rejects.toMatchObject({ name: 'LabStateError' });
    await log.waitForStatus(dense.id, 'completed');
    await expect(service.pruneRun(dense.id, { maxDistances: [2] })).rejects.toMatchObject({
      name: 'LabValidationError',
    });
  });
});

describe('LabService studies', () => {
  const spec = (rates: number[]): StudySpec => ({
    name: 'svc',
    models: [{ runId: baseId, label: 'tiny' }],
    rates,
    modes: ['post', 'during'],
  });

  it('startStudy resolves at once with the stored study; progress events follow until it completes', async () => {
    const summary = await service.startStudy(spec([0.5]));
    expect(summary).toMatchObject({ name: 'svc', status: 'running', done: 0, total: 2 });
    expect((await service.listStudies()).map((s) => s.id)).toContain(summary.id);
    await waitForStudy(summary.id, 'completed');
    const events = progressOf(summary.id);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ done: 2, total: 2, status: 'completed' });
    const detail = await service.getStudy(summary.id);
    expect(detail.results.map((r) => [r.mode, r.rate])).toEqual([
      ['post', 0.5],
      ['during', 0.5],
    ]);
    // the study's training went through the service like any run: run/status events
    const duringRun = detail.results[1].runId;
    expect(log.forRun(duringRun).some((e) => e.event === 'run/status' && e.payload.status === 'completed')).toBe(true);
  });

  it('refuses invalid specs naming the field, and deleting a running study; stop, then delete', async () => {
    await expect(service.startStudy({ models: [{ preset: 'nope' }] })).rejects.toMatchObject({
      name: 'LabValidationError',
      field: 'models[0].preset',
    });
    const s = await service.startStudy(spec([0.15, 0.25, 0.35]));
    await expect(service.deleteStudy(s.id)).rejects.toMatchObject({ name: 'LabStateError' });
    await service.stopStudy(s.id);
    await waitForStudy(s.id, 'interrupted');
    expect((await service.getStudy(s.id)).status).toBe('interrupted');
    await expect(service.stopStudy(s.id)).rejects.toMatchObject({ name: 'LabStateError' });
    const runsBefore = (await service.listRuns()).length;
    await service.deleteStudy(s.id);
    await expect(service.getStudy(s.id)).rejects.toMatchObject({ code: 'not-found' });
    expect((await service.listRuns()).length).toBe(runsBefore); // its runs stay in the history
  });

  it('starts a study over HTTP through the browser-mode server', async () => {
    const rendererDir = join(tmp.dir, 'renderer');
    mkdirSync(rendererDir);
    const server: LabServer = await startLabServer({ service, rendererDir, port: 0 });
    try {
      const post = (args: unknown[]): Promise<Response> =>
        fetch(`http://127.0.0.1:${server.port}/api/studies/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lab-token': server.token },
          body: JSON.stringify({ args }),
        });
      const ok = await post([{ models: [{ runId: baseId }], rates: [0.5] }]);
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as { ok: boolean; result: { id: string; status: string; total: number } };
      expect(body).toMatchObject({ ok: true, result: { status: 'running', total: 1 } });
      await waitForStudy(body.result.id, 'completed');
      const bad = await post([{ models: [{ preset: 'quick' }], rates: [2] }]);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('arg0.rates[0]') },
      });
    } finally {
      await server.close();
    }
  });
});

describe('LabService.close with a running study', () => {
  it('stops it: the study is stored interrupted', async () => {
    const t = tempDir('sen-lab-study-close-');
    const store = RunStore.open(t.db);
    const id = await trainTiny(store);
    store.close();
    const own = LabService.open({ dbPath: t.db, appVersion: 'x' });
    const ownLog = new EventLog();
    own.onAny((event, payload) => ownLog.push({ event, payload } as never));
    const s = await own.startStudy({ models: [{ runId: id }], rates: [0.4, 0.8], modes: ['during'] });
    await ownLog.waitFor((e) => e.event === 'run/status' && e.payload.status === 'running');
    await own.close();
    await expect(own.startStudy({ models: [{ runId: id }] })).rejects.toMatchObject({ name: 'LabStateError' });
    const again = RunStore.open(t.db);
    try {
      expect(again.getStudy(s.id)).toMatchObject({ status: 'interrupted', error: null });
    } finally {
      again.close();
      t.cleanup();
    }
  });
});
