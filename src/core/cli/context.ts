/** What a command needs from the outside world; tests and embedders can pass their own streams. */
import type { RunStore } from '../store/index';

/** A writable text stream with the TTY hints process.stdout/stderr carry. */
export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  stdout: OutStream;
  stderr: OutStream;
  /** true when stdin is an interactive terminal (confirmation prompts) */
  stdinIsTTY: boolean;
  /** ask a yes/no question on the terminal; resolves false on anything but y/yes */
  confirm(question: string): Promise<boolean>;
  cwd: string;
}

/** A subcommand: `usage` is printed for --help and after usage errors. */
export interface Command {
  name: string;
  usage: string;
  run(argv: string[], ctx: CliContext): Promise<number>;
}

/** How a command uses the store: 'read' never creates or writes anything (read-only files work). */
export type StoreMode = 'read' | 'write';

/** Open the run database given by --db (default: defaultDbPath(), which honours SEN_LAB_DB). */
export async function openStore(db: string | undefined, mode: StoreMode = 'write'): Promise<RunStore> {
  const { RunStore, defaultDbPath } = await import('../store/index');
  const file = db ?? defaultDbPath();
  return mode === 'read' ? RunStore.openForReading(file) : RunStore.open(file);
}

/** Run `fn` with an open store and always close it. */
export async function withStore<T>(
  db: string | undefined,
  fn: (store: RunStore) => Promise<T> | T,
  mode: StoreMode = 'write',
): Promise<T> {
  const store = await openStore(db, mode);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Print one JSON value as a single line. */
export function printJson(out: OutStream, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}
