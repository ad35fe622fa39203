/**
 * The study side of the store: migration 2 (from an empty file, from a v1 database with runs),
 * study rows and results (upsert, counts, baselines, cascade), recovery of stale studies.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, MIGRATIONS, RunStore, SCHEMA_VERSION, StoreError } from '../../src/core/store/index';
import { migrate } from '../../src/core/store/migrations';
import { newRunRow } from '../../src/core/store/rows';
import type { StudyResult, StudySpec } from '../../src/shared/lab-api';
import { blob, sampleConfig } from '../store/helpers';
import { tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('sen-study-store-');
});
afterEach(() => tmp.cleanup());

const SPEC: StudySpec = { name: 's', models: [{ preset: 'quick' }], rates: [0.5, 0.9], modes: ['post'], seeds: [1, 2] };

function tables(file: string): { version: number; names: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return { version: db.pragma('user_version', { simple: true }) as number, names };
  } finally {
    db.close();
  }
}

function point(over: Partial<StudyResult> = {}): StudyResult {
  return {
    model: 'quick',
    mode: 'post',
    rate: 0.5,
    seed: 1,
    runId: 'r000000001',
    sparsity: 0.5,
    testAccuracy: 0.8,
    ...over,
  };
}

describe('migration 2 (studies)', () => {
  it('is dated, after the initial one, and brings an empty file from zero to the current version', () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    const names = MIGRATIONS.map((m) => m.name);
    expect(names.slice(0, 2)).toEqual(['2026-11-28-initial', '2026-11-28-studies']);
    expect(names.every((n) => /^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/.test(n))).toBe(true);
    const dates = names.map((n) => n.slice(0, 10));
    expect([...dates].sort()).toEqual(dates);
    RunStore.open(tmp.db).close();
    const t = tables(tmp.db);
    expect(t.version).toBe(SCHEMA_VERSION);
    expect(t.names).toEqual(expect.arrayContaining(['runs', 'studies', 'study_results', 'study_baselines']));
  });

  it('upgrades a v1 database (first migration only) to the current version and keeps its runs', () => {
    const db = new Database(tmp.db);
    db.pragma('journal_mode = WAL');
    migrate(db, tmp.db, MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const row = newRunRow({ config: sampleConfig(), backend: 'cpu', params: 10 }, new Date());
    // the run as version 1 wrote it (today's INSERT_RUN_SQL names columns that later migrations add)
    const v1Insert = `INSERT INTO runs (id, name, status, config, preset, model_kind, layers, dataset, params,
        backend, epochs_planned, created_at, started_at, pid, hostname)
      VALUES (@id, @name, 'running', @config, @preset, @kind, @layers, @dataset, @params,
        @backend, @planned, @now, @now, @pid, @host)`;
    db.prepare(v1Insert).run({ ...row, id: 'rv1run0001', pid: null, host: null });
    db.prepare("UPDATE runs SET status = 'completed' WHERE id = 'rv1run0001'").run();
    db.close();
    expect(tables(tmp.db).names).not.toContain('studies');

    const store = RunStore.open(tmp.db);
    try {
      expect(store.listRuns().map((r) => [r.id, r.status])).toEqual([['rv1run0001', 'completed']]);
      expect(store.listStudies()).toEqual([]);
      const s = store.createStudy({ name: 'after upgrade', spec: SPEC, total: 4 });
      expect(store.getStudy(s.id).spec).toEqual(SPEC);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
    expect(tables(tmp.db).version).toBe(SCHEMA_VERSION);
  });

  it('still refuses a database newer than the current version, unchanged', () => {
    const newer = SCHEMA_VERSION + 1;
    const db = new Database(tmp.db);
    db.exec('CREATE TABLE runs (id TEXT PRIMARY KEY)');
    db.pragma(`user_version = ${newer}`);
    db.close();
    expect(() => RunStore.open(tmp.db)).toThrow(StoreError);
    expect(() => RunStore.open(tmp.db)).toThrow(new RegExp(`schema version ${newer}.*up to ${SCHEMA_VERSION}`));
    expect(tables(tmp.db).version).toBe(newer);
  });
});

describe('study rows', () => {
  let store: RunStore;
  beforeEach(() => {
    store = RunStore.open(tmp.db);
  });
  afterEach(() => store.close());

  it('creates, records (upsert), finishes, lists and reads a study', () => {
    const s = store.createStudy({ name: '  my study ', spec: SPEC, total: 4 });
    expect(s).toMatchObject({ name: 'my study', status: 'running', done: 0, total: 4, finishedAt: null, error: null });
    expect(s.id).toMatch(/^s[0-9a-z]{9}$/);
    store.recordStudyResult(s.id, point());
    store.recordStudyResult(s.id, point({ rate: 0.9, sparsity: 0.9, testAccuracy: 0.5 }));
    const again = store.recordStudyResult(s.id, point({ testAccuracy: 0.81, runId: 'r000000002' })); // same key: replaced
    expect(again.done).toBe(2);
    store.recordStudyBaseline(s.id, { model: 'quick', seed: 1, runId: 'r000000001', testAccuracy: 0.9 });
    store.recordStudyBaseline(s.id, { model: 'quick', seed: 2, runId: 'r000000003', testAccuracy: 0.8 });
    store.recordStudyBaseline(s.id, { model: 'quick', seed: 2, runId: 'r000000003', testAccuracy: 0.7 }); // replaced
    const done = store.finishStudy(s.id.slice(0, 5), 'completed');
    expect(done.status).toBe('completed');
    expect(done.finishedAt).not.toBeNull();

    const detail = store.getStudy(s.id);
    expect(detail.results).toEqual([
      point({ testAccuracy: 0.81, runId: 'r000000002' }),
      point({ rate: 0.9, sparsity: 0.9, testAccuracy: 0.5 }),
    ]);
    expect(detail.baselines).toHaveLength(1);
    expect(detail.baselines[0].model).toBe('quick');
    expect(detail.baselines[0].testAccuracy).toBeCloseTo(0.8);
    expect(detail.baselines[0].runIds).toEqual(['r000000001', 'r000000003']);

    const failed = store.createStudy({ name: 'second', spec: SPEC, total: 1 });
    store.finishStudy(failed.id, 'failed', 'boom');
    expect(store.listStudies().map((x) => [x.name, x.status, x.error])).toEqual([
      ['second', 'failed', 'boom'],
      ['my study', 'completed', null],
    ]);
  });

  it('refuses bad input and unknown ids', () => {
    expect(() => store.createStudy({ name: ' ', spec: SPEC, total: 1 })).toThrow(/name cannot be empty/);
    const s = store.createStudy({ name: 'x', spec: SPEC, total: 1 });
    expect(() => store.recordStudyResult(s.id, point({ mode: 'both' as never }))).toThrow(/bad mode/);
    expect(() => store.recordStudyResult(s.id, point({ testAccuracy: NaN }))).toThrow(/testAccuracy/);
    expect(() => store.finishStudy(s.id, 'running' as never)).toThrow(/bad status/);
    expect(() => store.getStudy('snope')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => store.recordStudyResult('snope', point())).toThrow(/no study/);
  });

  it('deleting a study removes its results and baselines but never its runs', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    store.finishRun(run.id, 'completed', { finalModel: blob(1) });
    store.setTags(run.id, ['study:x']);
    const s = store.createStudy({ name: 'x', spec: SPEC, total: 1 });
    store.recordStudyResult(s.id, point({ runId: run.id }));
    store.recordStudyBaseline(s.id, { model: 'quick', seed: 1, runId: run.id, testAccuracy: 0.9 });
    store.deleteStudy(s.id);
    expect(() => store.getStudy(s.id)).toThrow(/no study/);
    expect(store.getRun(run.id).status).toBe('completed');
    const db = (store as unknown as { conn: Database.Database }).conn;
    expect(db.prepare('SELECT count(*) FROM study_results').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM study_baselines').pluck().get()).toBe(0);
  });

  it('deleting a run keeps the study points that name it', () => {
    const run = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    const s = store.createStudy({ name: 'x', spec: SPEC, total: 1 });
    store.recordStudyResult(s.id, point({ runId: run.id }));
    store.finishRun(run.id, 'completed');
    store.deleteRun(run.id);
    expect(store.getStudy(s.id).results[0].runId).toBe(run.id);
  });

  it('lists run configs with their status, tags and whether a model is stored', () => {
    const a = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    store.finishRun(a.id, 'completed', { finalModel: blob(1) });
    const b = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 });
    store.finishRun(b.id, 'interrupted');
    const dense = sampleConfig({ model: { kind: 'dense', layers: [784, 8, 10], hiddenActivation: 'relu' } });
    store.createRun({ config: dense, backend: 'cpu', params: 1 });
    const found = store.listRunConfigs(['completed', 'interrupted'], [784, 16, 10]);
    expect(found.map((f) => [f.id, f.status, f.hasModel])).toEqual([
      [b.id, 'interrupted', false],
      [a.id, 'completed', true],
    ]);
    expect(found[0].config).toEqual(sampleConfig());
  });
});

describe('stale studies', () => {
  it('a study whose process is gone is marked interrupted at open; one of a live process is not', () => {
    const store = RunStore.open(tmp.db);
    const dead = store.createStudy({ name: 'dead', spec: SPEC, total: 1 });
    const alive = store.createStudy({ name: 'alive', spec: SPEC, total: 1 });
    store.close();
    const db = new Database(tmp.db);
    db.prepare('UPDATE studies SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, dead.id); // above Linux's pid_max: never alive
    db.prepare('UPDATE studies SET pid = 1 WHERE id = ?').run(alive.id); // init: always alive
    db.close();
    const again = RunStore.open(tmp.db);
    try {
      expect(again.recoveredStudiesAtOpen).toEqual([dead.id]);
      expect(again.getStudy(dead.id)).toMatchObject({
        status: 'interrupted',
        error: expect.stringContaining('ended without finishing'),
      });
      expect(again.getStudy(alive.id).status).toBe('running');
    } finally {
      again.close();
    }
  });

  it('a study of this process (another store instance) is left alone', () => {
    const a = RunStore.open(tmp.db);
    const s = a.createStudy({ name: 'mine', spec: SPEC, total: 1 });
    const b = RunStore.open(tmp.db);
    expect(b.recoveredStudiesAtOpen).toEqual([]);
    expect(b.getStudy(s.id).status).toBe('running');
    b.close();
    a.close();
  });
});
