/**
 * Opening the SQLite file safely: checks first (read-only), then pragmas, then migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { APPLICATION_ID, migrate, newerSchemaError, readUserVersion, SCHEMA_VERSION } from './migrations';

/** Milliseconds a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** How the store opens its SQLite file. */
export interface StoreOpenOptions {
  /**
   * Path of the native better-sqlite3 addon to load instead of node_modules' own build (Electron's
   * main process passes the copy built for Electron's ABI); default: better-sqlite3's own.
   */
  nativeBinding?: string;
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
  if (stat && stat.size > 0) inspectExisting(abs, binding);
  else {
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
    } catch (e) {
      throw new StoreError('open-failed', `cannot create the folder for run database ${abs}: ${message(e)}`, { cause: e });
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

/** Read-only look at an existing file; throws a StoreError if it must not be opened for writing. */
function inspectExisting(file: string, binding: StoreOpenOptions): void {
  let ro: Database.Database | undefined;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...binding });
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
  } catch (e) {
    throw translate(e, file);
  } finally {
    ro?.close();
  }
}

/** Turns SQLite and file system errors into StoreErrors that name the file. */
function translate(e: unknown, file: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') {
    return new StoreError('not-a-database', `${file} is not a SQLite database (not a SEN Lab run database)`, { cause: e });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('not-a-database', `run database ${file} is corrupt: ${message(e)}`, { cause: e });
  }
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
