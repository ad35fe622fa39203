/** Shared helpers of the main-process tests: temp folders, a tiny config, event recording. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunConfig } from '../../src/core/config/index';
import type { LabEventName, LabEvents } from '../../src/shared/lab-api';
import type { RunConfig } from '../../src/shared/run-config';

/** A fresh temporary folder with a db path inside; `cleanup` removes it. */
export function tempDir(prefix = 'sen-lab-main-'): { dir: string; db: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, db: join(dir, 'runs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Preset 'quick' shrunk to train in about a second: 784-16-10 on 600 MNIST images. */
export function tinyConfig(over: { epochs?: number; trainSize?: number; dataset?: string } = {}): RunConfig {
  return buildRunConfig({
    overrides: {
      layers: [784, 16, 10],
      trainSize: over.trainSize ?? 600,
      testSize: 200,
      epochs: over.epochs ?? 2,
      batchSize: 100,
      ...(over.dataset ? { dataset: over.dataset } : {}),
    },
  });
}

/** One recorded event. */
export type Recorded = { [E in LabEventName]: { event: E; payload: LabEvents[E] } }[LabEventName];

/** Collects events and lets a test wait for one matching a predicate. */
export class EventLog {
  readonly events: Recorded[] = [];
  private waiters: { test: (e: Recorded) => boolean; resolve: (e: Recorded) => void }[] = [];

  push(e: Recorded): void {
    this.events.push(e);
    const hits = this.waiters.filter((w) => w.test(e));
    this.waiters = this.waiters.filter((w) => !hits.includes(w));
    for (const w of hits) w.resolve(e);
  }

  /** Events of one run, in arrival order. */
  forRun(runId: string): Recorded[] {
    return this.events.filter((e) => 'runId' in e.payload && e.payload.runId === runId);
  }

  /** Resolves with the first event (already seen or future) matching `test`; rejects after `ms`. */
  waitFor(test: (e: Recorded) => boolean, ms = 60_000): Promise<Recorded> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; events so far: ${this.events.map((e) => e.event).join(', ')}`)),
        ms,
      );
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  /** Waits for a 'run/status' event of `runId` with `status`. */
  waitForStatus(runId: string, status: string, ms?: number): Promise<Recorded> {
    return this.waitFor(
      (e) => e.event === 'run/status' && e.payload.runId === runId && e.payload.status === status,
      ms,
    );
  }
}
