/**
 * Issue 10 item 5: damaged and read-only stores. A damaged file is refused by writers (named,
 * with what to do, its bytes unchanged), read commands open read-only and never create
 * anything, and every SQLite error names the file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { RunStore, SCHEMA_VERSION, StoreError } from '../../src/core/store';
import { checkDatabase, salvageDatabase } from '../../src/core/store/salvage';
import { damagePage, filledStore } from './damage';
import { fileHash, tempDir } from './helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(() => (dir = tempDir()));
afterEach(() => {
  for (const d of [dir, path.join(dir, 'ro')]) if (fs.existsSync(d)) fs.chmodSync(d, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a damaged store', () => {
  it('is refused by a writer with the file, the cause and what to do; the bytes stay unchanged', () => {
    const file = path.join(dir, 'runs.db');
    filledStore(file);
    damagePage(file, 'runs');
    const before = fileHash(file);
    let err: unknown;
    try {
      RunStore.open(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('damaged');
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain('sen-lab db check');
    expect((err as Error).message).toContain('sen-lab db recover');
    expect(fileHash(file)).toBe(before);
    // a second writer is refused the same way (nothing was "repaired" or written in between)
    expect(() => RunStore.open(file)).toThrow(/is damaged \(quick_check/);
    expect(fileHash(file)).toBe(before);
  });

  it('db check reports it; db recover copies the readable rows into a new, sound database', () => {
    const file = path.join(dir, 'runs.db');
    const ids = filledStore(file);
    damagePage(file, 'runs');
    const before = fileHash(file);
    const check = checkDatabase(file);
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
    const out = path.join(dir, 'recovered.db');
    const report = salvageDatabase(file, out);
    expect(fileHash(file)).toBe(before);
    const runs = report.tables.find((t) => t.table === 'runs')!;
    expect(runs.copied).toBeGreaterThan(ids.length / 2);
    expect(runs.copied).toBeLessThan(ids.length);
    expect(checkDatabase(out).ok).toBe(true);
    const store = RunStore.open(out);
    const listed = store.listRuns();
    expect(listed.length).toBe(runs.copied);
    expect(store.getRun(listed[0].id).epochs).toHaveLength(3);
    store.close();
    expect(() => salvageDatabase(file, out)).toThrow(/already exists/);
  });
});

describe('a store from a newer SEN Lab', () => {
  it('db check says it is sound but newer; db recover refuses it (copying would drop the newer columns)', () => {
    const file = path.join(dir, 'runs.db');
    filledStore(file);
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = fileHash(file);
    const report = checkDatabase(file);
    expect(report.ok).toBe(true);
    expect(report.note).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    const out = path.join(dir, 'copy.db');
    expect(() => salvageDatabase(file, out)).toThrow(/newer|supports up to/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fileHash(file)).toBe(before);
  });
});

describe('a file that is not SQLite', () => {
  it('db check reports it damaged; db recover refuses it and creates nothing', () => {
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'these are my notes, not a database\n');
    expect(checkDatabase(file).ok).toBe(false);
    const out = path.join(dir, 'copy.db');
    expect(() => salvageDatabase(file, out)).toThrow(/not a SQLite database/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('these are my notes, not a database\n');
  });
});

describe('read-only stores', () => {
  it('read opening never creates the file or its folder', () => {
    const file = path.join(dir, 'typo', 'x.db');
    expect(() => RunStore.openForReading(file)).toThrow(/no run database at .*typo.x\.db/);
    expect(fs.existsSync(path.join(dir, 'typo'))).toBe(false);
  });

  it('a read-only file: reads work, writes fail naming the file and the cause', () => {
    const file = path.join(dir, 'runs.db');
    const [id] = filledStore(file, 2);
    fs.chmodSync(file, 0o444);
    if (process.getuid?.() === 0) {
      // root ignores file modes: simulate with a read-only connection that still names the cause
      const store = RunStore.openForReading(file);
      expect(store.listRuns()).toHaveLength(2);
      expect(() => store.renameRun(id, 'x')).toThrow(new RegExp(`cannot write to run database ${file}`));
      store.close();
      return;
    }
    const reader = RunStore.openForReading(file);
    expect(reader.getRun(id).epochs).toHaveLength(3);
    reader.close();
    expect(() => RunStore.open(file)).toThrow(new RegExp(`cannot write to run database ${file}: ${file} is read-only`));
  });

  it('a read-only folder: writers are refused naming the -wal/-shm files SQLite needs', () => {
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    const file = path.join(ro, 'runs.db');
    filledStore(file, 2);
    fs.chmodSync(ro, 0o555);
    if (process.getuid?.() === 0) return; // root ignores folder modes
    expect(() => RunStore.open(file)).toThrow(/its folder .* is read-only .*-wal and -shm/);
    const reader = RunStore.openForReading(file);
    expect(reader.listRuns()).toHaveLength(2);
    reader.close();
  });

  it('a read-only file in a read-only folder (as another user): the CLI reads it, writes fail naming the file', (ctx) => {
    // root ignores file modes, so as root the CLI runs as 'nobody' (setpriv), for whom the root-owned files are read-only
    const asRoot = process.getuid?.() === 0;
    const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    if (asRoot && spawnSync('setpriv', ['--version']).status !== 0)
      return ctx.skip('running as root without setpriv: no other user to run the CLI as');
    // a checkout in a private folder (e.g. under `mktemp -d`, mode 700) is out of nobody's reach
    if (
      asRoot &&
      spawnSync(nobody[0], [...nobody.slice(1), 'test', '-r', path.join(ROOT, 'bin/sen-lab.mjs')]).status !== 0
    )
      return ctx.skip(`user nobody cannot read this checkout (${ROOT}): a folder above it is private`);
    const folder = path.join(dir, 'ro');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'runs.db');
    const [id] = filledStore(file, 2);
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(folder, asRoot ? 0o755 : 0o555);
    fs.chmodSync(file, asRoot ? 0o644 : 0o444);
    const before = fileHash(file);
    const cli = (...args: string[]) => {
      const argv = [path.join(ROOT, 'bin/sen-lab.mjs'), ...args, '--db', file];
      const [cmd, ...rest] = asRoot ? [...nobody, process.execPath, ...argv] : [process.execPath, ...argv];
      return spawnSync(cmd, rest, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SEN_LAB_DB: '' } });
    };
    const list = cli('runs', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(2);
    const show = cli('runs', 'show', id);
    expect(show.status, show.stderr).toBe(0);
    const note = cli('runs', 'note', id, 'x');
    expect(note.status).toBe(1);
    expect(note.stderr).toContain(`cannot write to run database ${file}: ${file} is read-only`);
    expect(fileHash(file)).toBe(before);
    expect(fs.readdirSync(folder)).toEqual(['runs.db']);
  }, 60_000);

  it('every SQLite error names the database file', () => {
    const file = path.join(dir, 'runs.db');
    const [id] = filledStore(file, 1);
    const store = RunStore.openForReading(file);
    let err: unknown;
    try {
      store.setNotes(id, 'a note');
    } catch (e) {
      err = e;
    }
    store.close();
    expect((err as StoreError).code).toBe('read-only');
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain('readonly database');
  });
});
