/**
 * The lab service's reproduction (`reproduce/*`) against a temporary database with real (tiny)
 * training: Table 1 cut down to Baseline 14 (the service's test hook), 1 epoch on 600/200 images.
 * Start in the background with 'reproduce/progress' events, trainings through the service's own
 * launcher (run/status events), the report and results.json under <db folder>/reports, reuse,
 * stop, one at a time, and the argument checks of the handlers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE1, type AccuracyExperiment } from '../../src/core/reproduce/index';
import { createLabHandlers, invokeHandler } from '../../src/main/ipc/handlers';
import { LabService } from '../../src/main/services/lab-service';
import {
  LAB_CHANNELS,
  type LabMethod,
  type ReproductionProgressEvent,
  type ReproductionRequest,
} from '../../src/shared/lab-api';
import { EventLog, tempDir } from './helpers';

const TINY: AccuracyExperiment = { ...TABLE1, rows: TABLE1.rows.filter((r) => r.id === 'baseline-14') };
const REQUEST: ReproductionRequest = { experiments: ['table1'], seeds: [1], epochs: 1, trainSize: 600, testSize: 200 };

const tmp = tempDir('sen-lab-reproduce-service-');
const log = new EventLog();
let service: LabService;

beforeAll(() => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test', reproduceExperimentList: [TINY] });
  service.onAny((event, payload) => log.push({ event, payload } as never));
});
afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

function progressOf(id: string): ReproductionProgressEvent[] {
  return log.events.flatMap((e) => (e.event === 'reproduce/progress' && e.payload.id === id ? [e.payload] : []));
}

function waitForEnd(id: string, ms = 60_000): Promise<unknown> {
  return log.waitFor(
    (e) => e.event === 'reproduce/progress' && e.payload.id === id && e.payload.status !== 'running',
    ms,
  );
}

describe('LabService reproduction', () => {
  it('starts in the background, trains through the service and reports progress, report and results', async () => {
    expect(await service.getReproduction()).toBeNull();
    expect(await service.getReproductionResults()).toBeNull();
    await expect(service.stopReproduction()).rejects.toMatchObject({ name: 'LabStateError' });

    const summary = await service.startReproduction(REQUEST);
    const date = new Date().toISOString().slice(0, 10);
    expect(summary).toMatchObject({
      status: 'running',
      outDir: join(tmp.dir, 'reports', `sen-lab-report-${date}`),
      finishedAt: null,
    });
    await expect(service.startReproduction(REQUEST)).rejects.toMatchObject({ name: 'LabStateError' });
    await waitForEnd(summary.id);

    const events = progressOf(summary.id);
    expect(events[0]).toMatchObject({ status: 'running', message: expect.stringContaining('started') });
    expect(events.some((e) => /training \(1 epoch\)/.test(e.message) && e.total === 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ status: 'completed', done: 1, total: 1 });

    const after = await service.getReproduction();
    expect(after).toMatchObject({ id: summary.id, status: 'completed', done: 1, total: 1 });
    expect(after?.finishedAt).not.toBeNull();

    const results = await service.getReproductionResults();
    expect(results).toMatchObject({ status: 'completed', shortened: true, seeds: [1], outDir: summary.outDir });
    const [table] = results!.experiments;
    expect(table.kind).toBe('accuracy');
    if (table.kind !== 'accuracy') return;
    expect(table.rows.map((r) => [r.id, r.params, r.ours?.n])).toEqual([['baseline-14', 11140, 1]]);
    const runId = table.rows[0].runs[0].runId;
    expect(results!.trainedRuns).toEqual([runId]);
    for (const f of ['report.md', 'report.html', 'results.json'])
      expect(existsSync(join(summary.outDir, f)), f).toBe(true);

    // the training went through the service's launcher: it sent run/status events like any run
    expect(log.forRun(runId).some((e) => e.event === 'run/status' && e.payload.status === 'completed')).toBe(true);
    expect((await service.getRun(runId)).tags).toContain('reproduce');
  });

  it('a second identical reproduction reuses the run and writes a new report folder', async () => {
    const summary = await service.startReproduction(REQUEST);
    expect(summary.outDir).toMatch(/sen-lab-report-\d{4}-\d\d-\d\d-2$/);
    await waitForEnd(summary.id);
    const results = await service.getReproductionResults();
    expect(results?.trainedRuns).toEqual([]);
    expect(results?.reusedRuns).toHaveLength(1);
  });

  it('lists every report folder (earlier ones stay) and serves a report with its figures inlined; std null for one seed', async () => {
    const list = await service.listReproductions();
    expect(list.map((i) => i.id)).toEqual([
      expect.stringMatching(/^sen-lab-report-\d{4}-\d\d-\d\d-2$/),
      expect.stringMatching(/^sen-lab-report-\d{4}-\d\d-\d\d$/),
    ]);
    expect(list[0]).toMatchObject({ status: 'completed', shortened: true, seeds: [1], experiments: ['table1'] });
    const report = await service.getReproductionReport(list[1].id);
    expect(report.html).toMatch(/^<!doctype html>/);
    expect(report.html).not.toMatch(/<img src="figures\//); // every drawn figure is inlined
    expect(report.html).toMatch(/<img src="data:image\/svg\+xml;base64,/);
    expect(report.markdown).toMatch(/std: null/);
    expect(report.markdown).not.toMatch(/± 0\.00/);
    const [table] = report.results.experiments;
    if (table.kind === 'accuracy') expect(table.rows[0].ours).toMatchObject({ n: 1, std: null });
    await expect(service.getReproductionReport('sen-lab-report-1999-01-01')).rejects.toMatchObject({
      name: 'StoreError',
      code: 'not-found',
    });
    await expect(service.getReproductionReport('../runs.db')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stopReproduction stops the current training; it ends interrupted with a report', async () => {
    const mark = log.events.length;
    const summary = await service.startReproduction({ ...REQUEST, seeds: [7], epochs: 50 });
    await log.waitFor(
      (e) => log.events.indexOf(e) >= mark && e.event === 'run/status' && e.payload.status === 'running',
    );
    await service.stopReproduction();
    await waitForEnd(summary.id);
    expect(await service.getReproduction()).toMatchObject({ id: summary.id, status: 'interrupted' });
    const results = await service.getReproductionResults();
    expect(results?.status).toBe('interrupted');
    expect(existsSync(join(summary.outDir, 'report.md'))).toBe(true);
    await expect(service.stopReproduction()).rejects.toMatchObject({ name: 'LabStateError' });
  });

  it('refuses unknown experiments and bad budgets in the service itself', async () => {
    await expect(service.startReproduction({ experiments: ['table9' as never] })).rejects.toThrow(/unknown experiment/);
    await expect(service.startReproduction({ ...REQUEST, epochs: undefined, budget: 2 })).rejects.toThrow(/budget/);
    expect((await service.getReproduction())?.status).toBe('interrupted'); // the last one stays
  });
});

describe('reproduce handlers', () => {
  const call = (method: LabMethod, ...raw: unknown[]): Promise<unknown> =>
    invokeHandler(createLabHandlers(service), method, raw);

  it('use the reproduce/* channels', () => {
    expect(Object.keys(createLabHandlers(service))).toContain('startReproduction');
    expect([
      LAB_CHANNELS.startReproduction,
      LAB_CHANNELS.getReproduction,
      LAB_CHANNELS.stopReproduction,
      LAB_CHANNELS.getReproductionResults,
    ]).toEqual(['reproduce/start', 'reproduce/get', 'reproduce/stop', 'reproduce/results']);
  });

  it('refuse bad requests before they reach the service', async () => {
    const before = (await service.getReproduction())?.id;
    const bad: unknown[] = [
      { budget: 0 },
      { budget: 1.5 },
      { budget: '0.1' },
      { budget: 0.1, epochs: 3 },
      { experiments: ['table9'] },
      { experiments: [] },
      { experiments: ['table1', 'table1'] },
      { experiments: 'table1' },
      { seeds: [1.5] },
      { seeds: [] },
      { seeds: ['1'] },
      { trainSize: 0 },
      { models: ['baseline-14'] },
    ];
    for (const request of bad)
      await expect(call('startReproduction', request), JSON.stringify(request)).rejects.toMatchObject({
        name: 'LabValidationError',
      });
    await expect(call('startReproduction')).rejects.toMatchObject({ name: 'LabValidationError' });
    await expect(call('getReproduction', 1)).rejects.toMatchObject({ name: 'LabValidationError' });
    expect((await service.getReproduction())?.id).toBe(before); // nothing started
  });
});
