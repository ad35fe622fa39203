/**
 * Opening the SQLite file safely: checks first (read-only), then pragmas, then migrations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { APPLICATION_ID, migrate, newerSchemaError, readUserVersion, SCHEMA_VERSION } from './migrations';
import { damagedAdvice, readOnlyCause, sqliteStoreError } from './sqlite-errors';

/** Milliseconds a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** How the store opens its SQLite file. */
export interface StoreOpenOptions {
  /**
   * Path of the native better-sqlite3 addon to load instead of node_modules' own build (Electron's
   * main process passes the copy built for Electron's ABI); default: better-sqlite3's own.
   */
  nativeBinding?: string;
  /**
   * Open for reading only: the file must exist (nothing is created), nothing is written (no
   * journal-mode change, no migration, no recovery of stale runs). Read commands use this.
   */
  readOnly?: boolean;
  /**
   * Run `PRAGMA quick_check` before a writer touches an existing file, and refuse a damaged one
   * (default true). It reads every page once: about 0.43 s for a 1 GB store here (warm cache; bench/store).
   */
  quickCheck?: boolean;
}

/**
 * Opens (creating if needed) the run database at `file` and brings its schema up to date.
 *
 * An existing non-empty file is first inspected through a read-only connection, so a file that
 * is not a SQLite database, belongs to another application, or has a newer schema is refused
 * before anything (journal mode, migrations) is written to it.
 */
export function openDatabase(file: string, options: StoreOpenOptions = {}): Database.Database {
  const abs = path.resolve(file);
  const binding = options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding };
  const stat = statOrUndefined(abs);
  if (stat?.isDirectory()) throw new StoreError('open-failed', `cannot open run database ${abs}: it is a folder`);
  if (options.readOnly) return openReadOnly(abs, stat, binding);
  if (stat && stat.size > 0) inspectExisting(abs, binding, options.quickCheck ?? true);
  else {
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
    } catch (e) {
      throw new StoreError('open-failed', `cannot create the folder for run database ${abs}: ${message(e)}`, {
        cause: e,
      });
    }
  }

  let db: Database.Database | undefined;
  try {
    db = new Database(abs, { timeout: BUSY_TIMEOUT_MS, ...binding });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, abs);
    return db;
  } catch (e) {
    db?.close();
    throw translate(e, abs);
  }
}

/** A read-only connection to an existing run database (current or older schema); never creates anything. */
function openReadOnly(file: string, stat: fs.Stats | undefined, binding: StoreOpenOptions): Database.Database {
  if (!stat) {
    throw new StoreError(
      'no-database',
      `no run database at ${file} (nothing was created; 'sen-lab train --db ${file}' creates one)`,
    );
  }
  try {
    return readOnlyConnection(file, file, binding);
  } catch (e) {
    const raw = (e as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : '';
    // SQLite cannot read a WAL database without its -shm file, which a read-only folder cannot hold:
    // read a private copy instead (no writer can be active in such a folder anyway)
    if (!(code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) || !readOnlyCause(file))
      throw translate(e, file);
    try {
      return readOnlyConnection(privateCopy(file), file, binding);
    } catch (e2) {
      throw translate(e2, file);
    }
  }
}

function readOnlyConnection(path: string, file: string, binding: StoreOpenOptions): Database.Database {
  const ro = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...binding });
  try {
    checkIdentity(ro, file);
    ro.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return ro;
  } catch (e) {
    ro.close();
    throw e;
  }
}

/** Copies `file` (and its -wal) into a fresh temporary folder, removed when the process exits. */
function privateCopy(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-lab-readonly-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  return copy;
}

/**
 * `PRAGMA quick_check` through a read-only connection: a damaged file is refused before anything
 * (journal mode, migrations, recovery) writes to it, so its bytes stay as they are.
 */
function refuseDamaged(ro: Database.Database, file: string): void {
  const rows = (ro.pragma('quick_check(20)') as { quick_check: string }[]).map((r) => r.quick_check);
  if (rows.length === 1 && rows[0] === 'ok') return;
  const shown = rows.slice(0, 3).join('; ') + (rows.length > 3 ? '; ...' : '');
  throw new StoreError(
    'damaged',
    `run database ${file} is damaged (quick_check: ${shown}); refusing to write to it: ${damagedAdvice(file)}`,
  );
}

/** Read-only look at an existing file; throws a StoreError if it must not be opened for writing. */
function inspectExisting(file: string, binding: StoreOpenOptions, quickCheck: boolean): void {
  let ro: Database.Database | undefined;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...binding });
    checkIdentity(ro, file);
    if (quickCheck) refuseDamaged(ro, file);
  } catch (e) {
    throw translate(e, file);
  } finally {
    ro?.close();
  }
  const cause = readOnlyCause(file);
  if (cause) throw new StoreError('read-only', `cannot write to run database ${file}: ${cause}`);
}

/** Refuses a file from a newer SEN Lab, of another application, or with foreign tables. */
function checkIdentity(ro: Database.Database, file: string): void {
  const version = readUserVersion(ro);
  if (version > SCHEMA_VERSION) throw newerSchemaError(file, version);
  const appId = ro.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StoreError(
      'not-a-database',
      `${file} is a SQLite database of another application (application_id ${appId}), not a SEN Lab run database`,
    );
  }
  if (version === 0) {
    const tables = ro
      .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
      .pluck()
      .get() as number;
    if (tables > 0) {
      throw new StoreError(
        'not-a-database',
        `${file} is a SQLite database with ${tables} table(s) but no SEN Lab schema; refusing to modify it`,
      );
    }
  }
}

/** Turns SQLite and file system errors into StoreErrors that name the file. */
function translate(e: unknown, file: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') {
    return new StoreError('not-a-database', `${file} is not a SQLite database (not a SEN Lab run database)`, {
      cause: e,
    });
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_READONLY'))) {
    return sqliteStoreError(e, file) as StoreError;
  }
  const cause = readOnlyCause(file);
  if (cause)
    return new StoreError('read-only', `cannot write to run database ${file}: ${cause} (${message(e)})`, { cause: e });
  return new StoreError('open-failed', `cannot open run database ${file}: ${message(e)}`, { cause: e });
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError('open-failed', `cannot open run database ${file}: ${message(e)}`, { cause: e });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
