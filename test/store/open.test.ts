import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDbPath, MIGRATIONS, RunStore, SCHEMA_VERSION, StoreError } from '../../src/core/store';
import { fileHash, sampleConfig, tempDir } from './helpers';

// every table of every migration (run_steps: 2026-12-05-step-history; sweeps: 2026-12-05-sweeps;
// epoch_analysis: 2026-12-05-wiring-topography)
const TABLES = [
  'checkpoints',
  'epoch_analysis',
  'epochs',
  'models',
  'run_steps',
  'runs',
  'snapshots',
  'studies',
  'study_baselines',
  'study_results',
  'sweep_trainings',
  'sweeps',
];

function inspect(file: string): { version: number; tables: string[]; journal: string } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      tables: db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[],
      journal: db.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

function expectStoreError(fn: () => unknown, code: string, ...fragments: (string | number)[]): StoreError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(StoreError);
  const err = caught as StoreError;
  expect(err.code).toBe(code);
  for (const f of fragments) expect(err.message).toContain(String(f));
  return err;
}

describe('opening and migrating', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrations are dated, unique and ordered', () => {
    expect(MIGRATIONS.length).toBe(SCHEMA_VERSION);
    const names = MIGRATIONS.map((m) => m.name);
    for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
  });

  it('migrates an empty (0-byte) file from zero to the latest version with all tables', () => {
    const file = path.join(dir, 'empty.db');
    fs.writeFileSync(file, '');
    RunStore.open(file).close();
    const info = inspect(file);
    expect(info.version).toBe(SCHEMA_VERSION);
    expect(info.tables).toEqual(TABLES);
    expect(info.journal).toBe('wal');
  });

  it('creates missing parent folders and sets WAL, foreign keys and a busy timeout', () => {
    const file = path.join(dir, 'a', 'b', 'c', 'runs.db');
    const store = RunStore.open(file);
    expect(store.path).toBe(file);
    // the connection is private; check pragmas through the class's own handle
    const db = (store as unknown as { conn: Database.Database }).conn;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
    store.close();
    expect(inspect(file).version).toBe(SCHEMA_VERSION);
  });

  it('re-opening is idempotent and keeps data', () => {
    const file = path.join(dir, 'runs.db');
    const s1 = RunStore.open(file);
    const run = s1.createRun({ config: sampleConfig(), backend: 'cpu', params: 10 });
    s1.finishRun(run.id, 'completed');
    s1.close();
    for (let i = 0; i < 3; i++) {
      const s = RunStore.open(file);
      expect(s.listRuns().map((r) => r.id)).toEqual([run.id]);
      expect(s.integrityCheck()).toBe('ok');
      s.close();
    }
    expect(inspect(file)).toMatchObject({ version: SCHEMA_VERSION, tables: TABLES });
  });

  for (const journal of ['delete', 'wal']) {
    it(`refuses a database with a newer schema (${journal} journal) and leaves its bytes unchanged`, () => {
      const file = path.join(dir, 'future.db');
      const db = new Database(file);
      db.pragma(`journal_mode = ${journal}`);
      db.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, hover_craft TEXT); INSERT INTO runs VALUES ('x', 'y')");
      db.pragma(`user_version = ${SCHEMA_VERSION + 41}`);
      db.close();
      const before = fileHash(file);
      const err = expectStoreError(
        () => RunStore.open(file),
        'newer-schema',
        file,
        SCHEMA_VERSION + 41,
        `up to ${SCHEMA_VERSION}`,
      );
      expect(err.message).toMatch(/update SEN Lab/);
      expect(fileHash(file)).toBe(before);
      expect(inspect(file).version).toBe(SCHEMA_VERSION + 41);
    });
  }

  it('refuses a file that is not a SQLite database, naming it, without changing it', () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'these are my notes, not a database\n'.repeat(50));
    const before = fileHash(text);
    expectStoreError(() => RunStore.open(text), 'not-a-database', text, 'not a SQLite database');
    expect(fileHash(text)).toBe(before);

    const tiny = path.join(dir, 'tiny.db');
    fs.writeFileSync(tiny, 'hi');
    expectStoreError(() => RunStore.open(tiny), 'not-a-database', tiny);
    expect(fs.readFileSync(tiny, 'utf8')).toBe('hi');
  });

  it("refuses another application's SQLite database", () => {
    const file = path.join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    db.close();
    const before = fileHash(file);
    expectStoreError(() => RunStore.open(file), 'not-a-database', file, 'no SEN Lab schema');
    expect(fileHash(file)).toBe(before);
  });

  it('refuses a folder', () => {
    expectStoreError(() => RunStore.open(dir), 'open-failed', dir, 'folder');
  });

  it('a closed store throws StoreError closed', () => {
    const store = RunStore.open(path.join(dir, 'runs.db'));
    store.close();
    store.close();
    expectStoreError(() => store.listRuns(), 'closed');
  });
});

describe('defaultDbPath', () => {
  it('honours SEN_LAB_DB', () => {
    expect(defaultDbPath({ env: { SEN_LAB_DB: '/tmp/x/my.db' }, platform: 'linux', homedir: '/home/u' })).toBe(
      '/tmp/x/my.db',
    );
  });
  it('uses XDG_DATA_HOME or ~/.local/share on Linux', () => {
    expect(defaultDbPath({ env: {}, platform: 'linux', homedir: '/home/u' })).toBe(
      '/home/u/.local/share/sen-lab/runs.db',
    );
    expect(defaultDbPath({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', homedir: '/home/u' })).toBe(
      '/data/sen-lab/runs.db',
    );
    expect(defaultDbPath({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', homedir: '/home/u' })).toBe(
      '/home/u/.local/share/sen-lab/runs.db',
    );
  });
  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDbPath({ env: {}, platform: 'darwin', homedir: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/SEN Lab/runs.db',
    );
    expect(
      defaultDbPath({ env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\u' }),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\SEN Lab\\runs.db');
  });
});
