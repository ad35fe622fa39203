/** Issue 10 item 4: snapshots per run are bounded, thinned evenly, first and last kept. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store';
import { snapshotsToDrop } from '../../src/core/store/snapshot-thinning';
import { blob, metrics, sampleConfig, tempDir } from './helpers';

let dir: string;
beforeEach(() => (dir = tempDir()));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function gaps(epochs: number[]): number[] {
  return epochs.slice(1).map((e, i) => e - epochs[i]);
}

describe('snapshotsToDrop', () => {
  it('keeps everything up to the bound', () => {
    expect(snapshotsToDrop([0, 1, 2], 3)).toEqual([]);
  });

  it('keeps the first, the last and evenly spaced epochs in between', () => {
    const epochs = Array.from({ length: 101 }, (_, i) => i);
    const kept = epochs.filter((e) => !snapshotsToDrop(epochs, 30).includes(e));
    expect(kept).toEqual([
      0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100,
    ]);
  });
});

describe('RunStore.recordEpoch with maxSnapshots', () => {
  it('1,000 epochs with a snapshot each keep at most 50, evenly, first and last included', () => {
    const store = RunStore.open(path.join(dir, 'runs.db'));
    const run = store.createRun({ config: sampleConfig(), backend: 'wasm', params: 1 });
    store.saveSnapshot(run.id, 0, blob(8));
    for (let e = 1; e <= 1000; e++) store.recordEpoch(run.id, metrics(e), { snapshot: blob(8), maxSnapshots: 50 });
    const epochs = store.getSnapshotEpochs(run.id);
    store.close();
    expect(epochs.length).toBeLessThanOrEqual(50);
    expect(epochs.length).toBeGreaterThanOrEqual(25);
    expect(epochs[0]).toBe(0);
    expect(epochs.at(-1)).toBe(1000);
    // evenly: every gap but the one before the latest is the same
    const g = gaps(epochs).slice(0, -1);
    expect(new Set(g).size).toBe(1);
    expect(gaps(epochs).at(-1)).toBeLessThanOrEqual(g[0]);
  });

  it('without a bound every snapshot stays (the store API is unchanged)', () => {
    const store = RunStore.open(path.join(dir, 'runs.db'));
    const run = store.createRun({ config: sampleConfig(), backend: 'wasm', params: 1 });
    for (let e = 1; e <= 30; e++) store.recordEpoch(run.id, metrics(e), { snapshot: blob(8) });
    expect(store.getSnapshotEpochs(run.id)).toHaveLength(30);
    store.close();
  });
});
