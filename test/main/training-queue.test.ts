/**
 * Issue 10 item 4: trainings in one lab run at most N at once; the rest wait as 'queued'
 * (visible in listRuns/getStatus/getRun, cancellable) and start in the order they came.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabService } from '../../src/main/services/lab-service';
import { maxConcurrentTrainings } from '../../src/main/services/training-queue';
import { EventLog, tempDir, tinyConfig } from './helpers';

const tmp = tempDir();
let service: LabService;
const log = new EventLog();

beforeAll(() => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test', maxTrainings: 2 });
  service.onAny((event, payload) => log.push({ event, payload } as never));
});

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

describe('the training queue', () => {
  it('the default follows the cores and $SEN_LAB_MAX_TRAININGS', () => {
    expect(maxConcurrentTrainings(undefined, {})).toBeGreaterThanOrEqual(1);
    expect(maxConcurrentTrainings(undefined, { SEN_LAB_MAX_TRAININGS: '3' })).toBe(3);
    expect(maxConcurrentTrainings(5, { SEN_LAB_MAX_TRAININGS: '3' })).toBe(5);
  });

  // 7 starts: 2 run, 5 wait (one of them cancelled), so the order is checked over 4 queued runs that start
  // (12 checked the same over 9, at nearly twice the time: each tiny training still loads its worker and data)
  const N = 7;
  it(`${N} simultaneous starts run 2 at a time, in order; a queued one can be cancelled`, async () => {
    const config = tinyConfig({ epochs: 1, trainSize: 200 });
    const started = await Promise.all(Array.from({ length: N }, (_, i) => service.startRun(config, { name: `q${i}` })));
    expect(started.filter((r) => r.status === 'running')).toHaveLength(2);
    expect(started.filter((r) => r.status === 'queued')).toHaveLength(N - 2);
    expect(new Set(started.map((r) => r.id)).size).toBe(N);

    // (tiny runs: the first may already be done and the next started, so compare the tail)
    const status = await service.getStatus();
    expect(status.maxTrainings).toBe(2);
    const waiting = status.queuedRunIds ?? [];
    expect(waiting.length).toBeGreaterThanOrEqual(N - 6);
    expect(waiting).toEqual(started.slice(N - waiting.length).map((r) => r.id));
    const listed = await service.listRuns({ status: 'queued' });
    expect(listed.map((r) => r.name)).toEqual(started.slice(N - listed.length).map((r) => r.name));
    const last = started[N - 1];
    expect((await service.getRun(last.id)).status).toBe('queued');

    await service.stopRun(last.id); // cancel while queued
    await log.waitForStatus(last.id, 'interrupted');

    // watch the 'run/status' events: never more than 2 running at once; a queued run starts only
    // once all but one of those before it have ended (first come, first served)
    const running = new Set<string>();
    let peak = 0;
    const endedBeforeStart = new Map<string, number>();
    const ended = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const replay = (e: { event: string; payload: { runId?: string; status?: string } }): void => {
        if (e.event !== 'run/status' || !e.payload.runId) return;
        const { runId, status } = e.payload as { runId: string; status: string };
        if (status === 'running') {
          running.add(runId);
          endedBeforeStart.set(runId, ended.size);
          peak = Math.max(peak, running.size);
        } else if (status !== 'queued') {
          running.delete(runId);
          ended.add(runId);
        }
        if (ended.size === N) resolve();
      };
      for (const e of log.events) replay(e);
      const off = service.onAny((event, payload) => replay({ event, payload } as never));
      setTimeout(() => (off(), reject(new Error(`timed out: ${ended.size} ended`))), 180_000);
    });
    expect(peak).toBeLessThanOrEqual(2); // (tiny runs may end before the next one reports ready)
    expect(peak).toBeGreaterThanOrEqual(1);
    for (let i = 2; i < N - 1; i++) expect(endedBeforeStart.get(started[i].id)).toBeGreaterThanOrEqual(i - 1);
    expect(endedBeforeStart.has(last.id)).toBe(false);
    const runs = await service.listRuns();
    expect(runs.map((r) => r.id).sort()).toEqual(
      started
        .slice(0, N - 1)
        .map((r) => r.id)
        .sort(),
    );
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    await expect(service.getRun(last.id)).rejects.toThrow(/no run with id/);
  }, 240_000);
});
