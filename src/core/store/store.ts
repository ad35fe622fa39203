/**
 * The run store: every run, its per-epoch metrics, position snapshots, the latest checkpoint and
 * the final model, in one SQLite file (WAL mode, safe for one writer per run plus many readers
 * in other processes). Synchronous, like better-sqlite3.
 */
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { StepPoint } from '../../shared/step-history';
import type { EpochMetrics, RunConfig, RunDetail, RunStatus, RunSummary } from '../../shared/run-config';
import type { EpochAnalysis } from '../../shared/analysis';
import { jsonOrNull, withAnalysis, type AnalysisRow } from './analysis-rows';
import { StoreError } from './errors';
import { MIN_ID_PREFIX, newRunId, normalizeTags } from './ids';
import { buildListQuery } from './list-query';
import { SCHEMA_VERSION } from './migrations';
import { openDatabase, type StoreOpenOptions } from './open';
import {
  busyRefusal,
  CLAIM_SQL,
  claimRefusal,
  liveWriter,
  lostClaim,
  newOwnerToken,
  OWNER_ROW_SQL,
  RELEASE_SQL,
  type OwnerRow,
  type RunClaim,
} from './ownership';
import { isStaleOwner } from './recovery';
import { ImportStore } from './imports';
import { snapshotsToDrop } from './snapshot-thinning';
import { namingSqliteErrors } from './sqlite-errors';
import {
  blobIn,
  blobOut,
  checkEpoch,
  EPOCH_COLUMNS,
  epochParams,
  INSERT_EPOCH_SQL,
  INSERT_RUN_SQL,
  newRunRow,
  SUMMARY_COLUMNS,
  toDetail,
  toSummary,
  type EpochRow,
  type RunDetailRow,
  type RunSummaryRow,
  UPDATE_AFTER_EPOCH_SQL,
} from './rows';
import {
  FINISH_STATUSES,
  type Checkpoint,
  type CreateRunInput,
  type FinishRunOptions,
  type FinishStatus,
  type ListRunsOptions,
  type RunConfigEntry,
  type RecordEpochOptions,
} from './types';

interface ConfigRow {
  id: string;
  status: RunStatus;
  tags: string;
  config: string;
  has_model: number;
}

/**
 * One open run database: runs (here), pruning studies, sweeps and run imports (inherited).
 * Create with {@link RunStore.open}; all methods are synchronous.
 */
export class RunStore extends ImportStore {
  /** Ids of stale 'running' runs marked 'interrupted' when the store was opened. */
  readonly recoveredAtOpen: readonly string[];

  private constructor(file: string, db: Database.Database) {
    super(file, db);
    this.recoveredAtOpen = db.readonly ? [] : this.recoverStaleRuns();
  }

  /**
   * Opens or creates the database (and its folder), applies migrations and marks stale runs
   * interrupted. Throws {@link StoreError} for a non-SQLite file, a foreign or newer database.
   */
  static open(file: string, options: StoreOpenOptions = {}): RunStore {
    const abs = path.resolve(file);
    const db = openDatabase(abs, options);
    try {
      // every SQLite error thrown later names this file (better-sqlite3's messages name none)
      return namingSqliteErrors(new RunStore(abs, db), abs);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * Opens an existing database for reading only: never creates a file or folder, writes nothing
   * (a read-only file or folder is fine), skips the damage check. A database of an older schema
   * is opened as a writer once, to migrate it. StoreError 'no-database' when the file is missing.
   */
  static openForReading(file: string, options: Omit<StoreOpenOptions, 'readOnly'> = {}): RunStore {
    const store = RunStore.open(file, { ...options, readOnly: true });
    if (store.schemaVersion() >= SCHEMA_VERSION) return store;
    store.close();
    return RunStore.open(file, { ...options, quickCheck: false });
  }

  /** Starts a new run with status 'running', owned by this process (and `input.ownerToken`). */
  createRun(input: CreateRunInput): RunSummary {
    const now = new Date();
    const row = newRunRow(input, now);
    const insert = this.stmt(INSERT_RUN_SQL);
    const id = this.db
      .transaction((): string => {
        if (input.id !== undefined && this.exists(input.id))
          throw new StoreError('invalid', `createRun: run id ${input.id} is taken`);
        let candidate = input.id ?? newRunId();
        while (this.exists(candidate)) candidate = newRunId();
        insert.run({
          ...row,
          id: candidate,
          pid: process.pid,
          host: os.hostname(),
          token: input.ownerToken ?? newOwnerToken(),
        });
        return candidate;
      })
      .immediate();
    return this.summary(id);
  }

  /**
   * Records one finished epoch atomically: metrics row, optional snapshot, optional checkpoint
   * (replacing the previous one) and the run's summary columns. Re-recording an epoch replaces it.
   */
  recordEpoch(id: string, metrics: EpochMetrics, opts: RecordEpochOptions = {}): void {
    checkEpoch(metrics?.epoch);
    const runId = this.resolveId(id);
    this.db
      .transaction(() => {
        this.assertOwner(runId, opts.owner);
        this.stmt(INSERT_EPOCH_SQL).run(epochParams(runId, metrics));
        if (opts.snapshot !== undefined) {
          this.putSnapshot(runId, metrics.epoch, opts.snapshot);
          if (opts.maxSnapshots !== undefined) this.thinSnapshots(runId, opts.maxSnapshots);
        }
        if (opts.analysis) this.putAnalysis(runId, metrics.epoch, opts.analysis);
        if (opts.checkpoint !== undefined) {
          this.stmt('INSERT OR REPLACE INTO checkpoints (run_id, epoch, data) VALUES (?, ?, ?)').run(
            runId,
            metrics.epoch,
            blobIn(opts.checkpoint, 'checkpoint'),
          );
        }
        this.stmt(UPDATE_AFTER_EPOCH_SQL).run({ id: runId });
      })
      .immediate();
  }

  /** Stores (or replaces) the wiring / topography of one epoch, e.g. epoch 0 before training. */
  saveAnalysis(id: string, epoch: number, analysis: EpochAnalysis): void {
    this.putAnalysis(this.resolveId(id), checkEpoch(epoch), analysis);
  }

  private putAnalysis(runId: string, epoch: number, a: EpochAnalysis): void {
    this.stmt('INSERT OR REPLACE INTO epoch_analysis (run_id, epoch, wiring, topography) VALUES (?, ?, ?, ?)').run(
      runId,
      epoch,
      jsonOrNull(a.wiring),
      jsonOrNull(a.topography),
    );
  }

  /** Stores (or replaces) the position snapshot of one epoch, e.g. epoch 0 before training. */
  saveSnapshot(id: string, epoch: number, data: Uint8Array): void {
    this.putSnapshot(this.resolveId(id), checkEpoch(epoch), data);
  }

  /** Ends a run: terminal status, finish time, error and optional final model, in one transaction. */
  finishRun(id: string, status: FinishStatus, opts: FinishRunOptions = {}): RunSummary {
    if (!FINISH_STATUSES.includes(status)) throw new StoreError('invalid', `finishRun: bad status '${status}'`);
    const runId = this.resolveId(id);
    this.db
      .transaction(() => {
        this.assertOwner(runId, opts.owner);
        this.stmt('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(
          status,
          new Date().toISOString(),
          opts.error ?? null,
          runId,
        );
        if (opts.finalModel !== undefined) {
          this.stmt('INSERT OR REPLACE INTO models (run_id, data) VALUES (?, ?)').run(
            runId,
            blobIn(opts.finalModel, 'finalModel'),
          );
        }
      })
      .immediate();
    return this.summary(runId);
  }

  /**
   * Makes this process the only writer of an interrupted or failed run, before any training starts:
   * one compare-and-set (`UPDATE ... WHERE status IN ('interrupted', 'failed')`, checking `changes`).
   * A 'running' run whose writer is gone (see `isStaleOwner`) is first marked interrupted, as at open.
   * @throws StoreError 'conflict' naming the live writer (pid, host), or when the run is completed
   */
  claimRun(id: string): RunClaim {
    const runId = this.resolveId(id);
    const token = newOwnerToken();
    return this.immediate(() => {
      const previous = this.ownerRow(runId)!;
      if (previous.status === 'running' && isStaleOwner(previous)) {
        this.stmt(MARK_STALE_SQL).run(staleError(previous.pid), runId);
        Object.assign(previous, { status: 'interrupted', error: staleError(previous.pid) });
      }
      const now = new Date().toISOString();
      const { changes } = this.stmt(CLAIM_SQL).run({ id: runId, pid: process.pid, host: os.hostname(), token, now });
      if (changes !== 1) throw claimRefusal(previous);
      return { runId, token, previous };
    });
  }

  /** Gives back a claim whose training never started: the run is as it was before `claimRun`. */
  releaseRun(claim: RunClaim): void {
    this.stmt(RELEASE_SQL).run({ ...claim.previous, id: claim.runId, token: claim.token });
  }

  /** The live writer of a run in words (pid, host), or null if it is not running or its writer is gone. */
  liveWriterOf(id: string): string | null {
    return liveWriter(this.ownerRow(this.resolveId(id))!);
  }

  /** Full run (config and all epochs) by id or unique prefix. */
  getRun(idOrPrefix: string): RunDetail {
    const runId = this.resolveId(idOrPrefix);
    const row = this.stmt(`SELECT ${SUMMARY_COLUMNS}, config FROM runs WHERE id = ?`).get(runId) as RunDetailRow;
    const epochs = this.stmt(`SELECT ${EPOCH_COLUMNS} FROM epochs WHERE run_id = ? ORDER BY epoch`).all(
      runId,
    ) as EpochRow[];
    const analysis = this.stmt('SELECT wiring, topography FROM epoch_analysis WHERE run_id = ? ORDER BY epoch').all(
      runId,
    ) as AnalysisRow[];
    return withAnalysis(toDetail(row, epochs), analysis);
  }

  /**
   * The full id for an exact id or a unique prefix of at least 4 characters.
   * Throws StoreError 'not-found' or 'ambiguous' (listing the matches).
   */
  resolveId(idOrPrefix: string): string {
    const q = String(idOrPrefix ?? '').trim();
    if (q !== '' && this.exists(q)) return q;
    if (q.length >= MIN_ID_PREFIX) {
      const matches = this.stmt('SELECT id FROM runs WHERE substr(id, 1, length(@p)) = @p ORDER BY id LIMIT 11')
        .pluck()
        .all({ p: q }) as string[];
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) {
        const list = matches.slice(0, 10).join(', ') + (matches.length > 10 ? ', ...' : '');
        throw new StoreError('ambiguous', `run id prefix '${q}' is ambiguous; it matches ${list}`);
      }
    }
    const hint = q.length < MIN_ID_PREFIX && q !== '' ? ` (id prefixes need at least ${MIN_ID_PREFIX} characters)` : '';
    throw new StoreError('not-found', `no run with id '${q}'${hint}`);
  }

  /** Run summaries, newest first by default. Reads only the runs table (no blobs, no epochs). */
  listRuns(opts: ListRunsOptions = {}): RunSummary[] {
    const { sql, params } = buildListQuery(opts);
    return (this.stmt(sql).all(...params) as RunSummaryRow[]).map(toSummary);
  }

  /** Renames a run (the name is trimmed and must not be empty). */
  renameRun(id: string, name: string): RunSummary {
    const trimmed = String(name ?? '').trim();
    if (trimmed === '') throw new StoreError('invalid', 'a run name cannot be empty');
    return this.update(id, 'name = ?', trimmed);
  }

  /** Replaces a run's tags (trimmed, de-duplicated, empty ones dropped). */
  setTags(id: string, tags: string[]): RunSummary {
    return this.update(id, 'tags = ?', JSON.stringify(normalizeTags(tags)));
  }

  /** Adds one tag if not already present. */
  addTag(id: string, tag: string): RunSummary {
    return this.editTags(id, (tags) => [...tags, tag]);
  }

  /** Removes one tag if present. */
  removeTag(id: string, tag: string): RunSummary {
    return this.editTags(id, (tags) => tags.filter((t) => t !== tag.trim()));
  }

  /** Replaces a run's free-text notes. */
  setNotes(id: string, notes: string): RunSummary {
    return this.update(id, 'notes = ?', String(notes ?? ''));
  }

  /** Archives (hides from default listings) or unarchives a run. */
  setArchived(id: string, archived: boolean): RunSummary {
    return this.update(id, 'archived = ?', archived ? 1 : 0);
  }

  /**
   * Deletes a run with its epochs, snapshots, checkpoint and model (ON DELETE CASCADE).
   * Refused (StoreError 'conflict' naming the pid) while a live writer trains it, unless `force`:
   * the trainer then fails at its next write ("no run with id").
   */
  deleteRun(id: string, opts: { force?: boolean } = {}): void {
    const runId = this.resolveId(id);
    this.immediate(() => {
      const writer = liveWriter(this.ownerRow(runId)!);
      if (writer !== null && !opts.force) throw busyRefusal(this.ownerRow(runId)!, 'delete', writer);
      this.stmt('DELETE FROM runs WHERE id = ?').run(runId);
    });
  }

  /** Epochs that have a position snapshot, ascending. */
  getSnapshotEpochs(id: string): number[] {
    return this.stmt('SELECT epoch FROM snapshots WHERE run_id = ? ORDER BY epoch')
      .pluck()
      .all(this.resolveId(id)) as number[];
  }

  /** The snapshot of one epoch; StoreError 'not-found' if there is none. */
  getSnapshot(id: string, epoch: number): Uint8Array {
    const runId = this.resolveId(id);
    const data = this.stmt('SELECT data FROM snapshots WHERE run_id = ? AND epoch = ?').pluck().get(runId, epoch) as
      Buffer | undefined;
    if (data === undefined) throw new StoreError('not-found', `run '${runId}' has no snapshot for epoch ${epoch}`);
    return blobOut(data);
  }

  /**
   * Stores (replacing the previous one) a checkpoint outside recordEpoch: a stop inside an epoch
   * keeps its work as a mid-epoch checkpoint; `epoch` is the last finished epoch.
   */
  saveCheckpoint(id: string, epoch: number, data: Uint8Array, owner?: string): void {
    const runId = this.resolveId(id);
    this.db
      .transaction(() => {
        this.assertOwner(runId, owner);
        this.stmt('INSERT OR REPLACE INTO checkpoints (run_id, epoch, data) VALUES (?, ?, ?)').run(
          runId,
          checkEpoch(epoch),
          blobIn(data, 'checkpoint'),
        );
      })
      .immediate();
  }

  /** Records points of the run's step history (a point re-recorded after a resume replaces it). */
  recordSteps(id: string, points: readonly StepPoint[], owner?: string): void {
    const runId = this.resolveId(id);
    const insert = this.stmt(
      'INSERT OR REPLACE INTO run_steps (run_id, step, epoch, batch, samples, time_ms, loss, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        this.assertOwner(runId, owner);
        for (const p of points)
          insert.run(runId, p.step, p.epoch, p.batch, p.samples, p.timeMs, finite(p.loss), finite(p.accuracy));
      })
      .immediate();
  }

  /** Every run's config (archived ones too), newest first. */
  allRunConfigs(): { id: string; config: RunConfig }[] {
    const rows = this.stmt('SELECT id, config FROM runs ORDER BY created_at DESC, rowid DESC').all() as {
      id: string;
      config: string;
    }[];
    return rows.map((r) => ({ id: r.id, config: JSON.parse(r.config) as RunConfig }));
  }

  /** The run's step history, in step order (empty for runs trained before it was kept). */
  getSteps(id: string): StepPoint[] {
    const rows = this.stmt(
      'SELECT step, epoch, batch, samples, time_ms, loss, accuracy FROM run_steps WHERE run_id = ? ORDER BY step',
    ).all(this.resolveId(id)) as {
      step: number;
      epoch: number;
      batch: number;
      samples: number;
      time_ms: number;
      loss: number | null;
      accuracy: number | null;
    }[];
    return rows.map((r) => ({
      step: r.step,
      epoch: r.epoch,
      batch: r.batch,
      samples: r.samples,
      timeMs: r.time_ms,
      loss: r.loss ?? NaN,
      accuracy: r.accuracy ?? NaN,
    }));
  }

  /** The run's latest checkpoint, or null. */
  getLatestCheckpoint(id: string): Checkpoint | null {
    const row = this.stmt('SELECT epoch, data FROM checkpoints WHERE run_id = ?').get(this.resolveId(id)) as
      { epoch: number; data: Buffer } | undefined;
    return row ? { epoch: row.epoch, data: blobOut(row.data) } : null;
  }

  /** The run's final model, or null. */
  getFinalModel(id: string): Uint8Array | null {
    const data = this.stmt('SELECT data FROM models WHERE run_id = ?').pluck().get(this.resolveId(id)) as
      Buffer | undefined;
    return data === undefined ? null : blobOut(data);
  }

  /**
   * Id, status, tags and config of the runs with one of `statuses` and these layer sizes, newest
   * first: candidates for reuse by a study (the caller compares the configs).
   */
  listRunConfigs(statuses: readonly RunStatus[], layers: readonly number[]): RunConfigEntry[] {
    const rows = this.stmt(
      `SELECT id, status, tags, config, EXISTS (SELECT 1 FROM models WHERE run_id = runs.id) AS has_model FROM runs
       WHERE status IN (SELECT value FROM json_each(?)) AND layers = ? ORDER BY created_at DESC, rowid DESC`,
    ).all(JSON.stringify(statuses), JSON.stringify(layers)) as ConfigRow[];
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      tags: JSON.parse(r.tags) as string[],
      config: JSON.parse(r.config) as RunConfig,
      hasModel: r.has_model === 1,
    }));
  }

  /**
   * Marks 'running' runs whose writer is gone as 'interrupted' (see `isStaleOwner`: same host
   * and a dead pid, or our own pid claimed before this process started). Runs of a live
   * process or of another host are never touched. Returns the ids marked. Called by open().
   */
  recoverStaleRuns(): string[] {
    return this.db
      .transaction((): string[] => {
        const rows = this.stmt(
          `SELECT id, pid, hostname, coalesce(resumed_at, started_at, created_at) AS claimedAt
         FROM runs WHERE status = 'running'`,
        ).all() as { id: string; pid: number | null; hostname: string | null; claimedAt: string | null }[];
        const stale = rows.filter((r) => isStaleOwner(r));
        const mark = this.stmt(MARK_STALE_SQL);
        for (const r of stale) mark.run(staleError(r.pid), r.id);
        return stale.map((r) => r.id);
      })
      .immediate();
  }

  private ownerRow(runId: string): OwnerRow | undefined {
    return this.stmt(OWNER_ROW_SQL).get(runId) as OwnerRow | undefined;
  }

  /** Inside a write transaction: the run still exists and is running under `token` (when given). */
  private assertOwner(runId: string, token: string | undefined): void {
    if (token === undefined) return;
    const row = this.ownerRow(runId);
    if (row?.status !== 'running' || row.owner_token !== token) throw lostClaim(runId, row);
  }

  private exists(id: string): boolean {
    return this.stmt('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined;
  }

  private summary(runId: string): RunSummary {
    const row = this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE id = ?`).get(runId) as RunSummaryRow | undefined;
    if (row === undefined) throw new StoreError('not-found', `no run with id '${runId}'`);
    return toSummary(row);
  }

  private update(id: string, assignment: string, value: unknown): RunSummary {
    const runId = this.resolveId(id);
    this.stmt(`UPDATE runs SET ${assignment} WHERE id = ?`).run(value, runId);
    return this.summary(runId);
  }

  private editTags(id: string, edit: (tags: string[]) => string[]): RunSummary {
    const runId = this.resolveId(id);
    return this.db.transaction(() => this.setTags(runId, edit(this.summary(runId).tags))).immediate();
  }

  /** Deletes snapshots beyond `max`, evenly (see snapshotsToDrop). */
  private thinSnapshots(runId: string, max: number): void {
    const epochs = this.stmt('SELECT epoch FROM snapshots WHERE run_id = ? ORDER BY epoch')
      .pluck()
      .all(runId) as number[];
    const drop = this.stmt('DELETE FROM snapshots WHERE run_id = ? AND epoch = ?');
    for (const epoch of snapshotsToDrop(epochs, max)) drop.run(runId, epoch);
  }

  private putSnapshot(runId: string, epoch: number, data: Uint8Array): void {
    this.stmt('INSERT OR REPLACE INTO snapshots (run_id, epoch, data) VALUES (?, ?, ?)').run(
      runId,
      epoch,
      blobIn(data, 'snapshot'),
    );
  }
}

const MARK_STALE_SQL = "UPDATE runs SET status = 'interrupted', error = ? WHERE id = ? AND status = 'running'";

function staleError(pid: number | null): string {
  return `the training process (pid ${pid ?? '?'}) ended without finishing the run`;
}

/** SQLite has no NaN/Infinity: a diverged loss is stored as NULL. */
function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
