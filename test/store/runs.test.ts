import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore, StoreError } from '../../src/core/store';
import { decodeArrays, encodeArrays } from '../../src/shared/codec';
import { blob, metrics, sampleConfig, tempDir } from './helpers';

let dir: string;
let file: string;
let store: RunStore;

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'runs.db');
  store = RunStore.open(file);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function count(table: string, runId: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(runId) as number;
  } finally {
    db.close();
  }
}

describe('run lifecycle', () => {
  it('create, record epochs, finish: round trip with exact shared types', () => {
    const config = sampleConfig();
    const run = store.createRun({ config, backend: 'wasm', params: 10_576 });
    expect(run.id).toMatch(/^r[0-9a-z]{9}$/);
    expect(run).toMatchObject({
      status: 'running',
      preset: 'quick',
      modelKind: 'spatial',
      layers: [784, 16, 10],
      dataset: 'mnist',
      params: 10_576,
      backend: 'wasm',
      epochsDone: 0,
      epochsPlanned: 3,
      testAccuracy: null,
      trainLoss: null,
      finishedAt: null,
      durationMs: 0,
      tags: [],
      notes: '',
      archived: false,
      error: null,
    });
    expect(run.name).toMatch(/^quick-\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(Date.parse(run.createdAt)).not.toBeNaN();

    const snap0 = encodeArrays([{ name: 'pos', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }], { epoch: 0 });
    store.saveSnapshot(run.id, 0, snap0);
    for (const e of [1, 2, 3]) store.recordEpoch(run.id, metrics(e), { snapshot: blob(e), checkpoint: blob(100 + e) });
    const model = blob(999, 1000);
    const done = store.finishRun(run.id, 'completed', { finalModel: model });
    expect(done.status).toBe('completed');
    expect(done.finishedAt).not.toBeNull();

    const detail = store.getRun(run.id);
    expect(detail.config).toEqual(config);
    expect(detail.epochs).toEqual([metrics(1), metrics(2), metrics(3)]);
    expect(detail).toMatchObject({
      epochsDone: 3,
      testAccuracy: metrics(3).testAccuracy,
      trainLoss: metrics(3).trainLoss,
      durationMs: 1001 + 1002 + 1003,
    });
    expect(Object.keys(detail).sort()).toEqual([...Object.keys(done), 'config', 'epochs'].sort());

    expect(store.getSnapshotEpochs(run.id)).toEqual([0, 1, 2, 3]);
    const back = store.getSnapshot(run.id, 0);
    expect(back.constructor).toBe(Uint8Array);
    expect(decodeArrays(back).arrays[0].data).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(store.getSnapshot(run.id, 2)).toEqual(blob(2));
    expect(() => store.getSnapshot(run.id, 7)).toThrow(StoreError);
    // only the latest checkpoint is kept
    expect(store.getLatestCheckpoint(run.id)).toEqual({ epoch: 3, data: blob(103) });
    expect(count('checkpoints', run.id)).toBe(1);
    expect(store.getFinalModel(run.id)).toEqual(model);
  });

  it('records owner pid and hostname, failure errors, and resume', () => {
    const run = store.createRun({ config: sampleConfig({ name: 'my run' }), backend: 'cpu', params: 1 });
    expect(run.name).toBe('my run');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT pid, hostname FROM runs WHERE id = ?').get(run.id)).toEqual({
      pid: process.pid,
      hostname: os.hostname(),
    });
    db.close();
    expect(store.getLatestCheckpoint(run.id)).toBeNull();
    expect(store.getFinalModel(run.id)).toBeNull();
    const failed = store.finishRun(run.id, 'failed', { error: 'NaN loss' });
    expect(failed).toMatchObject({ status: 'failed', error: 'NaN loss' });
    store.claimRun(run.id);
    const resumed = store.listRuns().find((r) => r.id === run.id);
    expect(resumed).toMatchObject({ status: 'running', error: null, finishedAt: null });
    expect(() => store.finishRun(run.id, 'running' as never)).toThrow(/bad status/);
  });

  it('an explicit name wins; dense runs without preset are named by kind', () => {
    const config = sampleConfig({
      preset: undefined,
      model: { kind: 'dense', layers: [784, 14, 10], hiddenActivation: 'relu' },
    });
    expect(store.createRun({ config, backend: 'cpu', params: 5 }).name).toMatch(/^dense-\d{4}-/);
    expect(store.createRun({ config, backend: 'cpu', params: 5, name: '  named ' }).name).toBe('named');
  });

  it('recordEpoch is atomic: a failure part-way leaves nothing of the epoch', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    store.recordEpoch(run.id, metrics(1), { checkpoint: blob(1) });
    expect(() =>
      store.recordEpoch(run.id, metrics(2), { snapshot: blob(2), checkpoint: 'not bytes' as unknown as Uint8Array }),
    ).toThrow(/checkpoint must be a Uint8Array/);
    const detail = store.getRun(run.id);
    expect(detail.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(detail.epochsDone).toBe(1);
    expect(store.getSnapshotEpochs(run.id)).toEqual([]);
    expect(store.getLatestCheckpoint(run.id)?.epoch).toBe(1);
    expect(() => store.recordEpoch(run.id, { ...metrics(1), epoch: 1.5 })).toThrow(/non-negative integer/);
  });

  it('NaN metrics survive as NaN in epochs', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    store.recordEpoch(run.id, { ...metrics(1), trainLoss: NaN });
    expect(store.getRun(run.id).epochs[0].trainLoss).toBeNaN();
  });
});

describe('ids', () => {
  it('resolves exact ids and unique prefixes of 4+ characters; unknown and ambiguous ids fail clearly', () => {
    const db = new Database(file);
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    // give two runs a shared prefix deterministically
    const other = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    db.prepare('UPDATE runs SET id = ? WHERE id = ?').run('rabcd11111', run.id);
    db.prepare('UPDATE runs SET id = ? WHERE id = ?').run('rabcd22222', other.id);
    db.close();

    expect(store.resolveId('rabcd11111')).toBe('rabcd11111');
    expect(store.getRun('rabcd1').id).toBe('rabcd11111');
    expect(store.getRun('rabcd2').id).toBe('rabcd22222');
    expect(() => store.getRun('rabc')).toThrow(/ambiguous.*rabcd11111, rabcd22222/);
    expect(() => store.getRun('rab')).toThrow(StoreError);
    expect(() => store.getRun('rzzzzzzzzz')).toThrow("no run with id 'rzzzzzzzzz'");
    try {
      store.getRun('nope');
    } catch (e) {
      expect((e as StoreError).code).toBe('not-found');
    }
    expect(() => store.renameRun('rzzzz', 'x')).toThrow(/no run with id/);
  });
});

describe('editing', () => {
  it('rename, tags, notes, archive', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    expect(store.renameRun(run.id, '  better name ').name).toBe('better name');
    expect(() => store.renameRun(run.id, '   ')).toThrow(/cannot be empty/);
    expect(store.setTags(run.id, ['a', ' b ', 'a', '']).tags).toEqual(['a', 'b']);
    expect(store.addTag(run.id, 'c').tags).toEqual(['a', 'b', 'c']);
    expect(store.addTag(run.id, 'a').tags).toEqual(['a', 'b', 'c']);
    expect(store.removeTag(run.id, 'b').tags).toEqual(['a', 'c']);
    expect(store.setNotes(run.id, 'lr too high?').notes).toBe('lr too high?');
    expect(store.setArchived(run.id, true).archived).toBe(true);
    expect(store.listRuns().map((r) => r.id)).toEqual([]);
    expect(store.listRuns({ includeArchived: true }).map((r) => r.id)).toEqual([run.id]);
    expect(store.setArchived(run.id, false).archived).toBe(false);
    expect(store.getRun(run.id)).toMatchObject({ name: 'better name', tags: ['a', 'c'], notes: 'lr too high?' });
  });

  it('delete cascades to epochs, snapshots, checkpoints and models', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    const keep = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    for (const id of [run.id, keep.id]) {
      store.saveSnapshot(id, 0, blob(0));
      store.recordEpoch(id, metrics(1), { snapshot: blob(1), checkpoint: blob(2) });
      store.finishRun(id, 'completed', { finalModel: blob(3) });
    }
    store.deleteRun(run.id);
    expect(() => store.getRun(run.id)).toThrow(/no run with id/);
    for (const t of ['epochs', 'snapshots', 'checkpoints', 'models']) {
      expect(count(t, run.id)).toBe(0);
      expect(count(t, keep.id)).toBeGreaterThan(0);
    }
    expect(store.integrityCheck()).toBe('ok');
  });
});

describe('listRuns', () => {
  it('filters by status, tag, archived, and searches name, preset, tags and notes', () => {
    const mk = (name: string, preset: string | undefined) =>
      store.createRun({ config: sampleConfig({ preset }), backend: 'cpu', params: 1, name });
    const a = mk('alpha', 'paper-3d');
    const b = mk('beta', 'baseline-14');
    const c = mk('gamma 50%', undefined);
    const d = mk('delta', 'quick');
    store.finishRun(a.id, 'completed');
    store.finishRun(b.id, 'failed', { error: 'boom' });
    store.setTags(c.id, ['sweep', 'lr-0.01']);
    store.setNotes(d.id, 'Interesting clustering in layer 2');
    store.setArchived(b.id, true);
    const ids = (rs: { id: string }[]) => rs.map((r) => r.id);

    expect(ids(store.listRuns())).toEqual([d.id, c.id, a.id]);
    expect(ids(store.listRuns({ includeArchived: true }))).toEqual([d.id, c.id, b.id, a.id]);
    expect(ids(store.listRuns({ status: 'completed' }))).toEqual([a.id]);
    expect(ids(store.listRuns({ status: ['failed', 'completed'], includeArchived: true }))).toEqual([b.id, a.id]);
    expect(ids(store.listRuns({ tag: 'sweep' }))).toEqual([c.id]);
    expect(ids(store.listRuns({ tag: 'swee' }))).toEqual([]);
    expect(ids(store.listRuns({ search: 'ALPHA' }))).toEqual([a.id]);
    expect(ids(store.listRuns({ search: 'paper' }))).toEqual([a.id]);
    expect(ids(store.listRuns({ search: 'lr-0.01' }))).toEqual([c.id]);
    expect(ids(store.listRuns({ search: 'clustering' }))).toEqual([d.id]);
    expect(ids(store.listRuns({ search: '50%' }))).toEqual([c.id]);
    expect(ids(store.listRuns({ search: '%' }))).toEqual([c.id]);
    expect(ids(store.listRuns({ search: 'gamma sweep' }))).toEqual([c.id]);
    expect(ids(store.listRuns({ search: 'gamma alpha' }))).toEqual([]);
    expect(ids(store.listRuns({ search: d.id.slice(0, 6) }))).toEqual([d.id]);
    expect(ids(store.listRuns({ limit: 2 }))).toEqual([d.id, c.id]);
    expect(ids(store.listRuns({ limit: 2, offset: 2 }))).toEqual([a.id]);
    expect(ids(store.listRuns({ orderBy: 'name' }))).toEqual([a.id, d.id, c.id]);
    expect(() => store.listRuns({ status: 'bogus' as never })).toThrow(StoreError);
  });

  it('orders by test accuracy with runs without epochs last', () => {
    const runs = [0.9, 0.7, 0.95].map((acc) => {
      const r = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
      store.recordEpoch(r.id, { ...metrics(1), testAccuracy: acc });
      return r.id;
    });
    const none = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    expect(store.listRuns({ orderBy: 'testAccuracy' }).map((r) => r.id)).toEqual([runs[2], runs[0], runs[1], none]);
    expect(store.listRuns({ orderBy: 'testAccuracy', direction: 'asc' }).map((r) => r.id)).toEqual([
      runs[1],
      runs[0],
      runs[2],
      none,
    ]);
  });

  it('lists 1,000 runs newest first', () => {
    const created: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = store.createRun({ config: sampleConfig(), backend: 'cpu', params: i, name: `run ${i}` });
      store.recordEpoch(r.id, metrics(1), { snapshot: blob(i, 4096), checkpoint: blob(i, 4096) });
      created.push(r.id);
    }
    const all = store.listRuns();
    expect(all).toHaveLength(1000);
    expect(all.map((r) => r.id)).toEqual([...created].reverse());
    expect(all[0]).toMatchObject({ name: 'run 999', params: 999, epochsDone: 1 });
    for (let i = 1; i < all.length; i++) expect(all[i - 1].createdAt >= all[i].createdAt).toBe(true);
    expect(store.listRuns({ limit: 10 }).map((r) => r.params)).toEqual([
      999, 998, 997, 996, 995, 994, 993, 992, 991, 990,
    ]);
  });
});
