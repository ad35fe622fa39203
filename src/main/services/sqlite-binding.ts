/**
 * Which native better-sqlite3 addon the run store loads. node_modules/better-sqlite3 stays built
 * for Node (the CLI, the tests, browser mode); Electron's main process loads a second copy built
 * for Electron's ABI by bin/rebuild-electron.mjs (run at install, by `npm start` and by
 * `npm run rebuild:electron`) into node_modules/.cache/sen-lab/better-sqlite3-electron/:
 * `better_sqlite3.node` plus `build.json` recording what it was built for.
 *
 * Plain Node (no Electron imports): the choice is a pure function of the versions involved.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What `npm run rebuild:electron` runs to build the Electron copy. */
export const REBUILD_ELECTRON_COMMAND = 'npm run rebuild:electron';
/** The binding file inside {@link electronBindingDir}. */
export const BINDING_FILE = 'better_sqlite3.node';
/** The record of what the binding was built for, next to it. */
export const BUILD_RECORD_FILE = 'build.json';

/** build.json, written by bin/rebuild-electron.mjs after a successful build. */
export interface BindingBuildRecord {
  runtime: string;
  /** the runtime's version (Electron's, for the Electron copy) */
  target: string;
  /** the better-sqlite3 version the copy was built from */
  betterSqlite3: string;
}

export interface BindingChoiceInput {
  /** `process.versions` of the process that opens the store */
  versions: Readonly<Record<string, string | undefined>>;
  /** the folder holding the Electron copy ({@link electronBindingDir}) */
  dir: string;
  /** the installed better-sqlite3 version */
  betterSqlite3: string;
  /** its build.json, or null when absent or unreadable */
  record: BindingBuildRecord | null;
  /** whether the binding file exists */
  exists: (file: string) => boolean;
}

/** `nativeBinding` undefined: better-sqlite3's default (node_modules' own build); `reason` says why. */
export interface BindingChoice {
  nativeBinding: string | undefined;
  reason: string;
}

/** Pure: the addon Electron's main process should load, or the default and why. */
export function chooseSqliteBinding(input: BindingChoiceInput): BindingChoice {
  const electron = input.versions['electron'];
  if (!electron) return { nativeBinding: undefined, reason: 'not running in Electron: the default build (for Node)' };
  const file = path.join(input.dir, BINDING_FILE);
  const { record } = input;
  if (!record || !input.exists(file)) {
    return { nativeBinding: undefined, reason: `no Electron build of better-sqlite3 in ${input.dir}` };
  }
  if (record.runtime !== 'electron' || record.target !== electron || record.betterSqlite3 !== input.betterSqlite3) {
    return {
      nativeBinding: undefined,
      reason:
        `the Electron build of better-sqlite3 in ${input.dir} is for ${record.runtime} ${record.target} and ` +
        `better-sqlite3 ${record.betterSqlite3}, not Electron ${electron} and better-sqlite3 ${input.betterSqlite3}`,
    };
  }
  return { nativeBinding: file, reason: `the Electron build ${file}` };
}

/** node_modules/.cache/sen-lab/better-sqlite3-electron, next to the installed better-sqlite3. */
export function electronBindingDir(betterSqlite3Dir: string): string {
  return path.join(betterSqlite3Dir, '..', '.cache', 'sen-lab', 'better-sqlite3-electron');
}

/** Reads build.json; null when missing or not a record. */
export function readBuildRecord(dir: string): BindingBuildRecord | null {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(dir, BUILD_RECORD_FILE), 'utf8')) as Partial<BindingBuildRecord>;
    const ok = typeof r.runtime === 'string' && typeof r.target === 'string' && typeof r.betterSqlite3 === 'string';
    return ok ? (r as BindingBuildRecord) : null;
  } catch {
    return null;
  }
}

/** {@link chooseSqliteBinding} for this process and the installed better-sqlite3. */
export function sqliteBindingForThisProcess(): BindingChoice {
  if (!process.versions['electron'])
    return chooseSqliteBinding({
      versions: process.versions,
      dir: '',
      betterSqlite3: '',
      record: null,
      exists: () => false,
    });
  const pkgJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string };
  const dir = electronBindingDir(path.dirname(pkgJson));
  return chooseSqliteBinding({
    versions: process.versions,
    dir,
    betterSqlite3: version,
    record: readBuildRecord(dir),
    exists: fs.existsSync,
  });
}

/** Whether an error is a native addon built for another runtime's ABI. */
export function isAbiMismatch(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /NODE_MODULE_VERSION|compiled against a different|was compiled against/.test(message);
}

/** The message shown when the store cannot be opened in Electron because of the addon's ABI. */
export function abiMismatchMessage(err: unknown, choice: BindingChoice): string {
  const message = err instanceof Error ? err.message : String(err);
  return (
    `better-sqlite3 (the run store's SQLite module) is not built for this Electron ` +
    `(${process.versions['electron'] ?? '?'}, ABI ${process.versions.modules}): ${choice.reason}.\n` +
    `Fix: run \`${REBUILD_ELECTRON_COMMAND}\` in the project folder, then start SEN Lab again.\n\n${message}`
  );
}
