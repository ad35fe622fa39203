/**
 * Run bundles: one training's complete result as a folder, written by a task on a cluster node and
 * imported into the user's store later (`sen-lab runs import`, or the sweep driver as bundles land).
 *
 *   BUNDLE/run.db        a private SEN Lab run database holding exactly one run (epochs, snapshots,
 *                        latest checkpoint, final model); only the task that owns the bundle writes it
 *   BUNDLE/bundle.json   the manifest, written last (temp file + rename) once the task has stopped:
 *                        format, schema versions, run id, status, size and sha256 of run.db
 *
 * A bundle without a manifest is still being written (or its task was killed): it is never imported,
 * but a resumed task continues from the checkpoint in its run.db.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../study/configs';
import { RECORD_RUN_COLUMNS, SCHEMA_VERSION, type ImportAction, type RunRecord, type RunStore } from '../store/index';
import { validateRunConfig } from '../config/index';

export const BUNDLE_FORMAT = 'sen-lab-run-bundle';
/** Version of the bundle layout this code writes and reads. */
export const BUNDLE_SCHEMA_VERSION = 1;
export const BUNDLE_DB = 'run.db';
export const BUNDLE_MANIFEST = 'bundle.json';

/** The manifest of a finished bundle. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  schemaVersion: number;
  /** `PRAGMA user_version` of run.db */
  storeSchemaVersion: number;
  runId: string;
  status: string;
  epochsDone: number;
  sweepId?: string;
  index?: number;
  key?: string;
  /** Slurm's job id of the task that wrote it, when there was one */
  slurmJobId?: string;
  files: Record<string, { bytes: number; sha256: string }>;
  writtenAt: string;
}

/** A bundle that cannot be imported (missing, truncated, newer, damaged); nothing was written. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** What importing one bundle did. */
export interface BundleImport {
  bundle: string;
  runId: string;
  status: string;
  action: ImportAction;
}

/**
 * Seals a bundle after its task stopped: folds run.db's WAL into the file (one self-contained file),
 * then writes the manifest atomically. The run store on run.db must be closed before.
 */
export function sealBundle(
  dir: string,
  extra: Pick<BundleManifest, 'sweepId' | 'index' | 'key' | 'slurmJobId'>,
): BundleManifest {
  const dbFile = path.join(dir, BUNDLE_DB);
  const db = new Database(dbFile);
  let run: { id: string; status: string; epochs_done: number } | undefined;
  let version: number;
  try {
    db.pragma('journal_mode = DELETE');
    version = db.pragma('user_version', { simple: true }) as number;
    run = db.prepare('SELECT id, status, epochs_done FROM runs ORDER BY created_at LIMIT 1').get() as typeof run;
  } finally {
    db.close();
  }
  if (!run) throw new BundleError(`bundle ${dir} holds no run`);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    storeSchemaVersion: version,
    runId: run.id,
    status: run.status,
    epochsDone: run.epochs_done,
    ...extra,
    files: { [BUNDLE_DB]: fileDigest(dbFile) },
    writtenAt: new Date().toISOString(),
  };
  const tmp = path.join(dir, `.${BUNDLE_MANIFEST}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(tmp, path.join(dir, BUNDLE_MANIFEST));
  return manifest;
}

/** The manifest of a sealed bundle, or null when there is none yet. @throws BundleError when it is unreadable */
export function readManifest(dir: string): BundleManifest | null {
  const file = path.join(dir, BUNDLE_MANIFEST);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BundleError(`bundle ${dir}: cannot read ${BUNDLE_MANIFEST}: ${(err as Error).message}`);
  }
  let m: BundleManifest;
  try {
    m = JSON.parse(text) as BundleManifest;
  } catch {
    throw new BundleError(`bundle ${dir}: ${BUNDLE_MANIFEST} is truncated or not JSON; nothing was imported`);
  }
  if (m?.format !== BUNDLE_FORMAT)
    throw new BundleError(
      `${dir} is not a SEN Lab run bundle (${BUNDLE_MANIFEST} has format ${JSON.stringify(m?.format)})`,
    );
  if (
    !Number.isInteger(m.schemaVersion) ||
    m.schemaVersion > BUNDLE_SCHEMA_VERSION ||
    m.storeSchemaVersion > SCHEMA_VERSION
  ) {
    throw new BundleError(
      `bundle ${dir} was written by a newer SEN Lab (bundle schema ${m.schemaVersion}, store schema ${m.storeSchemaVersion}; ` +
        `this version reads up to ${BUNDLE_SCHEMA_VERSION} and ${SCHEMA_VERSION}); update SEN Lab to import it. Nothing was imported`,
    );
  }
  return m;
}

/**
 * Reads a sealed bundle after checking it completely (manifest, size and sha256 of run.db, schema).
 * @throws BundleError naming the problem
 */
export function readBundle(dirOrManifest: string): { manifest: BundleManifest; record: RunRecord } {
  const dir = path.basename(dirOrManifest) === BUNDLE_MANIFEST ? path.dirname(dirOrManifest) : dirOrManifest;
  if (!fs.existsSync(dir)) throw new BundleError(`no bundle at ${dir}`);
  const manifest = readManifest(dir);
  if (!manifest)
    throw new BundleError(
      `bundle ${dir} has no ${BUNDLE_MANIFEST}: not a run bundle, or its task has not finished (or was killed)`,
    );
  const dbFile = path.join(dir, BUNDLE_DB);
  const want = manifest.files?.[BUNDLE_DB];
  if (!want) throw new BundleError(`bundle ${dir}: the manifest lists no ${BUNDLE_DB}`);
  if (!fs.existsSync(dbFile)) throw new BundleError(`bundle ${dir}: ${BUNDLE_DB} is missing`);
  const got = fileDigest(dbFile);
  if (got.bytes !== want.bytes || got.sha256 !== want.sha256) {
    throw new BundleError(
      `bundle ${dir} is truncated or damaged: ${BUNDLE_DB} has ${got.bytes} bytes (sha256 ${got.sha256.slice(0, 12)}), ` +
        `the manifest says ${want.bytes} bytes (sha256 ${want.sha256.slice(0, 12)}); nothing was imported`,
    );
  }
  return { manifest, record: readRecord(dbFile, manifest.runId, dir) };
}

/**
 * Imports one bundle into `store` in one transaction. Idempotent: the same bundle twice (or from two
 * processes at once) is one run; a newer copy of the same run (more epochs, completed) replaces an older one.
 * @throws BundleError for a bad bundle; StoreError 'conflict' when the run id exists with another config
 */
export function importBundle(store: RunStore, dir: string): BundleImport {
  const { manifest, record } = readBundle(dir);
  const key = configText(String(record.run.config));
  const action = store.importRunRecord(record, (stored) => configText(stored) === key);
  return { bundle: dir, runId: manifest.runId, status: String(record.run.status), action };
}

/** Canonical normalised config without its name (the name is a label, not what is trained). */
function configText(json: string): string {
  try {
    const { name: _n, ...rest } = validateRunConfig(JSON.parse(json));
    return canonicalJson(rest);
  } catch {
    return json;
  }
}

function readRecord(dbFile: string, runId: string, dir: string): RunRecord {
  let db: Database.Database;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BundleError(`bundle ${dir}: cannot open ${BUNDLE_DB}: ${(err as Error).message}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new BundleError(
        `bundle ${dir}: ${BUNDLE_DB} has schema ${version}, newer than this SEN Lab's ${SCHEMA_VERSION}`,
      );
    const run = db.prepare(`SELECT ${RECORD_RUN_COLUMNS.join(', ')} FROM runs WHERE id = ?`).get(runId) as
      RunRecord['run'] | undefined;
    if (!run) throw new BundleError(`bundle ${dir}: ${BUNDLE_DB} does not hold run ${runId} named by its manifest`);
    const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const ck = db.prepare('SELECT epoch, data FROM checkpoints WHERE run_id = ?').get(runId) as
      { epoch: number; data: Buffer } | undefined;
    const model = db.prepare('SELECT data FROM models WHERE run_id = ?').pluck().get(runId) as Buffer | undefined;
    return {
      run,
      epochs: db.prepare('SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch').all(runId) as Record<
        string,
        unknown
      >[],
      snapshots: (
        db.prepare('SELECT epoch, data FROM snapshots WHERE run_id = ? ORDER BY epoch').all(runId) as {
          epoch: number;
          data: Buffer;
        }[]
      ).map((s) => ({ epoch: s.epoch, data: u8(s.data) })),
      checkpoint: ck ? { epoch: ck.epoch, data: u8(ck.data) } : null,
      model: model ? u8(model) : null,
      analysis: readAnalysis(db, runId),
    };
  } catch (err) {
    if (err instanceof BundleError) throw err;
    throw new BundleError(`bundle ${dir}: ${BUNDLE_DB} is damaged: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** The run's wiring / topography rows; none when the bundle's database predates the epoch_analysis table. */
function readAnalysis(db: Database.Database, runId: string): RunRecord['analysis'] {
  const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'epoch_analysis'").get();
  if (!has) return [];
  return db
    .prepare('SELECT epoch, wiring, topography FROM epoch_analysis WHERE run_id = ? ORDER BY epoch')
    .all(runId) as RunRecord['analysis'];
}

function fileDigest(file: string): { bytes: number; sha256: string } {
  const data = fs.readFileSync(file);
  return { bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}
