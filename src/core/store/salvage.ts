/**
 * `sen-lab db check` and `sen-lab db recover`: the integrity of a run database, and a copy of
 * whatever is still readable in a damaged one into a new file. The damaged file is only read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { newerSchemaError, readUserVersion, SCHEMA_VERSION } from './migrations';
import { RunStore } from './store';

/** `PRAGMA integrity_check` of `file`, opened read-only: 'ok' or the problems found. */
export interface CheckReport {
  file: string;
  ok: boolean;
  /** 'ok', or at most 100 problems as SQLite words them */
  problems: string[];
  /** set when the file is sound but its schema is newer than this SEN Lab's (it cannot open it) */
  note?: string;
}

/** What `salvageDatabase` copied, per table. */
export interface SalvageReport {
  from: string;
  to: string;
  tables: { table: string; copied: number; failed: number; problems: string[] }[];
}

/** True when `file` starts with SQLite's 16-byte magic string (false for a missing or shorter file). */
function hasSqliteHeader(file: string): boolean {
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) return true; // openSource names these
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    fs.closeSync(fd);
  }
}

/** `PRAGMA user_version`, or 0 when even the header cannot be read (a damaged file is still recovered). */
function safeUserVersion(db: Database.Database): number {
  try {
    return readUserVersion(db);
  } catch {
    return 0;
  }
}

/** Opens `file` read-only (it must exist) and runs integrity_check. */
export function checkDatabase(file: string): CheckReport {
  const abs = path.resolve(file);
  const db = openSource(abs);
  try {
    const rows = (db.pragma('integrity_check(100)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const ok = rows.length === 1 && rows[0] === 'ok';
    const version = readUserVersion(db);
    const note = version > SCHEMA_VERSION ? newerSchemaError(abs, version).message : undefined;
    return { file: abs, ok, problems: ok ? [] : rows, ...(note ? { note } : {}) };
  } catch (e) {
    return { file: abs, ok: false, problems: [(e as Error).message] };
  } finally {
    db.close();
  }
}

/**
 * Creates a new run database at `out` (which must not exist) and copies into it every row of
 * every table that can still be read from `from`; rows of unreadable pages are skipped and
 * counted. Child rows whose run did not survive are dropped (foreign keys stay consistent).
 */
export function salvageDatabase(from: string, out: string): SalvageReport {
  const src = path.resolve(from);
  const dst = path.resolve(out);
  if (src === dst) throw new StoreError('invalid', 'db recover: --out must be a new file, not the damaged one');
  if (fs.existsSync(dst))
    throw new StoreError('invalid', `db recover: ${dst} already exists; give a new file with --out`);
  if (!hasSqliteHeader(src))
    throw new StoreError(
      'invalid',
      `db recover: ${src} is not a SQLite database (no SQLite header): nothing to recover`,
    );
  const source = openSource(src);
  const version = safeUserVersion(source);
  if (version > SCHEMA_VERSION) {
    // copying into this version's schema would silently drop what the newer one added
    source.close();
    throw newerSchemaError(src, version);
  }
  try {
    RunStore.open(dst, { quickCheck: false }).close(); // the current schema
    const target = new Database(dst);
    try {
      target.pragma('foreign_keys = ON');
      const tables = target
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
        )
        .pluck()
        .all() as string[];
      return { from: src, to: dst, tables: tables.map((t) => copyTable(source, target, t)) };
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new StoreError('no-database', `no run database at ${file}`);
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StoreError('open-failed', `cannot open ${file}: ${(e as Error).message}`, { cause: e });
  }
}

interface TableShape {
  columns: string[];
  /** primary-key columns in key order; ['rowid'] for rowid tables */
  key: string[];
}

function shape(db: Database.Database, table: string): TableShape {
  const info = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[];
  const withoutRowid = (
    db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string | undefined
  )
    ?.toUpperCase()
    .includes('WITHOUT ROWID');
  const key = withoutRowid
    ? info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
    : ['rowid'];
  return { columns: info.map((c) => c.name), key };
}

/** Copies the readable rows of one table, in key order, in batches; skips past unreadable ranges. */
function copyTable(
  source: Database.Database,
  target: Database.Database,
  table: string,
): SalvageReport['tables'][number] {
  const report = { table, copied: 0, failed: 0, problems: [] as string[] };
  let from: TableShape;
  try {
    from = shape(source, table);
  } catch (e) {
    report.problems.push(`table unreadable: ${(e as Error).message}`);
    return report;
  }
  const wanted = shape(target, table).columns.filter((c) => from.columns.includes(c));
  if (wanted.length === 0) return report;
  const cols = wanted.map((c) => `"${c}"`).join(', ');
  const keyCols = from.key.map((c) => (c === 'rowid' ? 'rowid' : `"${c}"`));
  const keyList = keyCols.join(', ');
  const select = (after: unknown[] | null, limit: number): Record<string, unknown>[] => {
    const where = after === null ? '' : `WHERE (${keyList}) > (${keyCols.map(() => '?').join(', ')})`;
    const sql = `SELECT ${keyCols.map((k, i) => `${k} AS __k${i}`).join(', ')}, ${cols} FROM "${table}" ${where} ORDER BY ${keyList} LIMIT ${limit}`;
    return source.prepare(sql).all(...(after ?? [])) as Record<string, unknown>[];
  };
  const insert = target.prepare(
    `INSERT OR IGNORE INTO "${table}" (${cols}) VALUES (${wanted.map(() => '?').join(', ')})`,
  );
  let after: unknown[] | null = null;
  let careful = 0; // rows still to read one by one after a failed batch
  for (;;) {
    let rows: Record<string, unknown>[];
    try {
      rows = select(after, careful > 0 ? 1 : 200);
      if (careful > 0) careful--;
    } catch (e) {
      if (careful === 0) {
        careful = 200; // read up to the damaged row one by one
        continue;
      }
      const next = skipPast(select, after, from.key, report, e as Error);
      if (next === undefined) break;
      after = next;
      continue;
    }
    if (rows.length === 0) break;
    target.transaction(() => {
      for (const r of rows) {
        try {
          insert.run(...wanted.map((c) => r[c]));
          report.copied++;
        } catch {
          report.failed++; // e.g. an epoch whose run was lost
        }
      }
    })();
    const last = rows[rows.length - 1];
    after = from.key.map((_, i) => last[`__k${i}`]);
  }
  return report;
}

/**
 * A batch read failed after key `after`: read row by row to the damage, then (rowid tables)
 * probe ever larger rowid jumps for the next readable row. Returns the key to continue after,
 * or undefined when nothing more can be read.
 */
function skipPast(
  select: (after: unknown[] | null, limit: number) => Record<string, unknown>[],
  after: unknown[] | null,
  key: string[],
  report: { problems: string[] },
  err: Error,
): unknown[] | undefined {
  report.problems.push(
    `unreadable rows after key ${after === null ? '(start)' : JSON.stringify(after)}: ${err.message}`,
  );
  if (key.length !== 1 || key[0] !== 'rowid') return undefined;
  const base = after === null ? 0 : Number(after[0]);
  for (let jump = 1; jump < 2 ** 40; jump *= 2) {
    try {
      const rows = select([base + jump], 1);
      if (rows.length === 0) return undefined;
      return [base + jump];
    } catch {
      // still inside the damaged range
    }
  }
  return undefined;
}
