/**
 * Every SQLite failure becomes a StoreError that names the database file and, for writes that
 * cannot happen, the reason (read-only file or folder, SQLite's -wal/-shm files, damage).
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';

/** What to tell a user whose store is damaged. */
export function damagedAdvice(file: string): string {
  return (
    `nothing was written and the file is unchanged. Run 'sen-lab db check --db ${file}' for details, and ` +
    `'sen-lab db recover --db ${file} --out NEW.db' to copy what is still readable into a new database`
  );
}

/** Why `file` cannot be written, or null when the file, its folder and its -wal/-shm look writable. */
export function readOnlyCause(file: string): string | null {
  const dir = path.dirname(file);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f) && !writable(f)) return `${f} is read-only`;
  }
  if (!writable(dir)) {
    return `its folder ${dir} is read-only (SQLite needs to create ${path.basename(file)}-wal and -shm there)`;
  }
  return null;
}

function writable(f: string): boolean {
  try {
    fs.accessSync(f, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The SQLite error `e` as a StoreError naming `file` (StoreErrors pass through). */
export function sqliteStoreError(e: unknown, file: string, readOnlyReason: string | null = null): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && readOnlyCause(file))) {
    if (readOnlyReason)
      return new StoreError('read-only', `${readOnlyReason} (opened read-only; nothing was written)`, { cause: e });
    const cause = readOnlyCause(file) ?? msg;
    return new StoreError('read-only', `cannot write to run database ${file}: ${cause} (${msg})`, { cause: e });
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('damaged', `run database ${file} is damaged (${msg}); ${damagedAdvice(file)}`, { cause: e });
  }
  return new StoreError('sqlite', `run database ${file}: ${msg} (${code})`, { cause: e });
}

/**
 * Wraps every method of `store` so a SQLite error thrown inside names the file (better-sqlite3's
 * own messages, like "attempt to write a readonly database", name none).
 */
export function namingSqliteErrors<T extends { readOnlyReason: string | null }>(store: T, file: string): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return function (this: unknown, ...args: unknown[]) {
        try {
          return (value as (...a: unknown[]) => unknown).apply(this, args);
        } catch (e) {
          throw sqliteStoreError(e, file, target.readOnlyReason);
        }
      };
    },
  });
}
