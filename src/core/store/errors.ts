/**
 * Errors raised by the run store. Callers (CLI, Electron main, HTTP server) can switch on `code`
 * to pick an exit status or an HTTP status without parsing messages.
 */

/** Machine-readable reason for a {@link StoreError}. */
export type StoreErrorCode =
  /** no run matches the given id or prefix, or a requested blob is missing */
  | 'not-found'
  /** an id prefix matches more than one run */
  | 'ambiguous'
  /** the database was written by a newer SEN Lab (its schema version is unknown to this code) */
  | 'newer-schema'
  /** the file is not a SQLite database, or not a SEN Lab run database */
  | 'not-a-database'
  /** the database could not be opened for another reason (permissions, a folder, I/O) */
  | 'open-failed'
  /** an argument is invalid (empty name, bad status, bad epoch, non-binary blob) */
  | 'invalid'
  /** the store has been closed */
  | 'closed'
  /** the run's state forbids it: a live writer holds the run, it is already completed, or it exists with another config */
  | 'conflict'
  /** no database file where a read command looked (nothing was created) */
  | 'no-database'
  /** the file (or its folder, or SQLite's -wal/-shm files) cannot be written */
  | 'read-only'
  /** the file is damaged (quick_check or integrity_check fails); writing is refused */
  | 'damaged'
  /** any other SQLite failure (disk full, I/O error, busy); the message names the file */
  | 'sqlite';

/** The single error type thrown by the run store for expected, user-facing failures. */
export class StoreError extends Error {
  /** Machine-readable reason. */
  readonly code: StoreErrorCode;

  /**
   * @param code machine-readable reason
   * @param message human-readable message, shown to users as is
   * @param options optional underlying cause
   */
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** True when `e` is a {@link StoreError} (optionally with the given code). */
export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
