/**
 * The connection side of the run store: the open SQLite handle, a prepared-statement cache,
 * IMMEDIATE transactions and closing. The table methods live in the subclasses
 * (StudyStore in ./studies.ts, RunStore in ./store.ts).
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';

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
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
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

  /** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlock). */
  protected immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
