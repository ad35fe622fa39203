/**
 * The connection side of the run store: the open SQLite handle, a prepared-statement cache,
 * IMMEDIATE transactions and closing. The table methods live in the subclasses
 * (StudyStore in ./studies.ts, RunStore in ./store.ts).
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import { MIN_ID_PREFIX } from './ids';

/** An open database connection with cached statements; every method is synchronous. */
export abstract class StoreBase {
  /** Absolute path of the database file. */
  readonly path: string;
  private conn: Database.Database | null;
  private readonly statements = new Map<string, Database.Statement>();

  protected constructor(file: string, db: Database.Database) {
    this.path = file;
    this.conn = db;
  }

  /** Result of `PRAGMA integrity_check`: 'ok' when the file is sound, else the problems, one per line. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('\n');
  }

  /** Why this store was opened read-only although a writer was wanted (e.g. the file is damaged); named in write errors. */
  readOnlyReason: string | null = null;

  /** True when opened for reading only (writes fail with StoreError 'read-only'). */
  get readOnly(): boolean {
    return this.db.readonly;
  }

  /** `PRAGMA user_version` of the open file. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Closes the connection (idempotent). Any further call throws StoreError 'closed'. */
  close(): void {
    this.statements.clear();
    this.conn?.close();
    this.conn = null;
  }

  /** The open connection; StoreError 'closed' after close(). */
  protected get db(): Database.Database {
    if (this.conn === null) throw new StoreError('closed', `run database ${this.path} is closed`);
    return this.conn;
  }

  /** A prepared statement, compiled once per connection. */
  protected stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * The full id in `table` (studies, sweeps) for an exact id or a unique prefix of at least
   * MIN_ID_PREFIX characters; StoreError 'not-found' or 'ambiguous' naming `what`.
   */
  protected resolveIdIn(table: 'studies' | 'sweeps', what: string, idOrPrefix: string): string {
    const q = String(idOrPrefix ?? '').trim();
    if (q !== '' && this.stmt(`SELECT 1 FROM ${table} WHERE id = ?`).get(q) !== undefined) return q;
    if (q.length >= MIN_ID_PREFIX) {
      const matches = this.stmt(`SELECT id FROM ${table} WHERE substr(id, 1, length(@p)) = @p ORDER BY id LIMIT 11`)
        .pluck()
        .all({ p: q }) as string[];
      if (matches.length === 1) return matches[0];
      if (matches.length > 1)
        throw new StoreError('ambiguous', `${what} id prefix '${q}' is ambiguous; it matches ${matches.join(', ')}`);
    }
    throw new StoreError('not-found', `no ${what} with id '${q}'`);
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlock). */
  protected immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
