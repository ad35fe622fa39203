/**
 * The sweep side of the run store: tables `sweeps` and `sweep_trainings` (migration 2026-12-05-sweeps).
 * A sweep is a stored plan of trainings; each row follows its training (queued, pending in Slurm,
 * running, done, failed) and links to its run. RunStore inherits these methods.
 */
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { RunConfig } from '../../shared/run-config';
import type {
  PlannedTraining,
  SweepDetail,
  SweepExecutorOptions,
  SweepSpec,
  SweepStatus,
  SweepSummary,
  SweepTraining,
  SweepTrainingState,
} from '../../shared/sweep';
import { StoreError } from './errors';
import { newSweepId } from './ids';
import { isStaleOwner } from './recovery';
import { StudyStore } from './studies';

/** Input of `createSweep`. */
export interface CreateSweepInput {
  name: string;
  spec: SweepSpec;
  options: SweepExecutorOptions;
  trainings: PlannedTraining[];
}

/** Fields `updateSweepTraining` may change. */
export interface SweepTrainingPatch {
  state?: SweepTrainingState;
  runId?: string | null;
  reused?: boolean;
  slurmJobId?: string | null;
  slurmState?: string | null;
  error?: string | null;
}

const SUMMARY_SQL = `SELECT s.id, s.name, s.status, s.executor, s.created_at, s.finished_at, s.error,
    (SELECT count(*) FROM sweep_trainings t WHERE t.sweep_id = s.id) AS total,
    (SELECT count(*) FROM sweep_trainings t WHERE t.sweep_id = s.id AND t.state = 'done') AS completed,
    (SELECT count(*) FROM sweep_trainings t WHERE t.sweep_id = s.id AND t.state IN ('failed', 'cancelled')) AS failed
  FROM sweeps s`;

interface SummaryRow {
  id: string;
  name: string;
  status: SweepStatus;
  executor: 'local' | 'slurm';
  created_at: string;
  finished_at: string | null;
  error: string | null;
  total: number;
  completed: number;
  failed: number;
}

interface TrainingRow {
  idx: number;
  key: string;
  config: string;
  vals: string;
  state: SweepTrainingState;
  run_id: string | null;
  reused: number;
  slurm_job_id: string | null;
  slurm_state: string | null;
  error: string | null;
}

const PATCH_COLUMNS: Record<keyof SweepTrainingPatch, string> = {
  state: 'state',
  runId: 'run_id',
  reused: 'reused',
  slurmJobId: 'slurm_job_id',
  slurmState: 'slurm_state',
  error: 'error',
};

/** Sweeps and their trainings; synchronous like the rest of the store. */
export abstract class SweepStore extends StudyStore {
  /** Ids of local sweeps whose process died, marked 'interrupted' when the store was opened. */
  readonly recoveredSweepsAtOpen: readonly string[];

  protected constructor(file: string, db: Database.Database) {
    super(file, db);
    this.recoveredSweepsAtOpen = this.recoverStaleSweeps();
  }

  /** Stores a sweep (status 'running', owned by this process) with every planned training 'queued'. */
  createSweep(input: CreateSweepInput): SweepSummary {
    const name = String(input.name ?? '').trim();
    if (name === '') throw new StoreError('invalid', 'a sweep name cannot be empty');
    const now = new Date().toISOString();
    const id = this.immediate(() => {
      let candidate = newSweepId();
      while (this.sweepExists(candidate)) candidate = newSweepId();
      this.stmt(
        `INSERT INTO sweeps (id, name, status, spec, options, executor, created_at, pid, hostname)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      ).run(
        candidate,
        name,
        JSON.stringify(input.spec),
        JSON.stringify(input.options),
        input.options.executor,
        now,
        process.pid,
        os.hostname(),
      );
      const insert = this.stmt(
        `INSERT INTO sweep_trainings (sweep_id, idx, key, config, vals, state, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
      );
      for (const t of input.trainings)
        insert.run(candidate, t.index, t.key, JSON.stringify(t.config), JSON.stringify(t.values), now);
      return candidate;
    });
    return this.sweepSummary(id);
  }

  /** Changes the state, run link or Slurm fields of one training. */
  updateSweepTraining(id: string, index: number, patch: SweepTrainingPatch): void {
    const sweepId = this.resolveSweepId(id);
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof SweepTrainingPatch, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([k]) => `${PATCH_COLUMNS[k]} = ?`).join(', ');
    const values = entries.map(([k, v]) => (k === 'reused' ? (v ? 1 : 0) : v));
    const info = this.stmt(`UPDATE sweep_trainings SET ${sets}, updated_at = ? WHERE sweep_id = ? AND idx = ?`).run(
      ...values,
      new Date().toISOString(),
      sweepId,
      index,
    );
    if (info.changes === 0) throw new StoreError('not-found', `sweep ${sweepId} has no training ${index}`);
  }

  /** Ends a sweep with a final status; 'running' claims it for this process again (resume, follow). */
  setSweepStatus(id: string, status: SweepStatus, error?: string): SweepSummary {
    const sweepId = this.resolveSweepId(id);
    if (status === 'running') {
      this.stmt(
        "UPDATE sweeps SET status = 'running', finished_at = NULL, error = NULL, pid = ?, hostname = ? WHERE id = ?",
      ).run(process.pid, os.hostname(), sweepId);
    } else {
      this.stmt('UPDATE sweeps SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(
        status,
        new Date().toISOString(),
        error ?? null,
        sweepId,
      );
    }
    return this.sweepSummary(sweepId);
  }

  /** A sweep by id or unique prefix, with its spec, options and every training. */
  getSweep(idOrPrefix: string): SweepDetail {
    const sweepId = this.resolveSweepId(idOrPrefix);
    const row = this.stmt(`SELECT spec, options FROM sweeps WHERE id = ?`).get(sweepId) as {
      spec: string;
      options: string;
    };
    const rows = this.stmt(
      `SELECT idx, key, config, vals, state, run_id, reused, slurm_job_id, slurm_state, error FROM sweep_trainings
       WHERE sweep_id = ? ORDER BY idx`,
    ).all(sweepId) as TrainingRow[];
    return {
      ...this.sweepSummary(sweepId),
      spec: JSON.parse(row.spec) as SweepSpec,
      options: JSON.parse(row.options) as SweepExecutorOptions,
      trainings: rows.map(toTraining),
    };
  }

  /** Every sweep, newest first. */
  listSweeps(): SweepSummary[] {
    return (this.stmt(`${SUMMARY_SQL} ORDER BY s.created_at DESC, s.rowid DESC`).all() as SummaryRow[]).map(
      toSweepSummary,
    );
  }

  /** The sweeps each of these runs belongs to (run id -> sweep ids), for run tables filtered by sweep. */
  sweepsOfRuns(runIds: readonly string[]): Record<string, string[]> {
    const rows = this.stmt(
      'SELECT DISTINCT run_id, sweep_id FROM sweep_trainings WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY sweep_id',
    ).all(JSON.stringify(runIds)) as { run_id: string; sweep_id: string }[];
    const out: Record<string, string[]> = {};
    for (const r of rows) (out[r.run_id] ??= []).push(r.sweep_id);
    return out;
  }

  /** Deletes a sweep and its training rows; the runs stay. */
  deleteSweep(id: string): void {
    this.stmt('DELETE FROM sweeps WHERE id = ?').run(this.resolveSweepId(id));
  }

  /** The full id for an exact sweep id or a unique prefix (at least 4 characters). */
  resolveSweepId(idOrPrefix: string): string {
    return this.resolveIdIn('sweeps', 'sweep', idOrPrefix);
  }

  /** Local sweeps whose process is gone become 'interrupted'; Slurm sweeps live on in the cluster's queue. */
  recoverStaleSweeps(): string[] {
    return this.immediate(() => {
      const rows = this.stmt(
        "SELECT id, pid, hostname, created_at AS claimedAt FROM sweeps WHERE status = 'running' AND executor = 'local'",
      ).all() as { id: string; pid: number | null; hostname: string | null; claimedAt: string | null }[];
      const stale = rows.filter((r) => isStaleOwner(r));
      for (const r of stale) {
        this.stmt("UPDATE sweeps SET status = 'interrupted', error = ? WHERE id = ?").run(
          `the process running the sweep (pid ${r.pid ?? '?'}) ended without finishing it`,
          r.id,
        );
        this.stmt("UPDATE sweep_trainings SET state = 'queued' WHERE sweep_id = ? AND state = 'running'").run(r.id);
      }
      return stale.map((r) => r.id);
    });
  }

  private sweepExists(id: string): boolean {
    return this.stmt('SELECT 1 FROM sweeps WHERE id = ?').get(id) !== undefined;
  }

  private sweepSummary(id: string): SweepSummary {
    const row = this.stmt(`${SUMMARY_SQL} WHERE s.id = ?`).get(id) as SummaryRow | undefined;
    if (row === undefined) throw new StoreError('not-found', `no sweep with id '${id}'`);
    return toSweepSummary(row);
  }
}

function toSweepSummary(r: SummaryRow): SweepSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    executor: r.executor,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    total: r.total,
    completed: r.completed,
    failed: r.failed,
    error: r.error,
  };
}

function toTraining(r: TrainingRow): SweepTraining {
  return {
    index: r.idx,
    key: r.key,
    config: JSON.parse(r.config) as RunConfig,
    values: JSON.parse(r.vals) as Record<string, unknown>,
    state: r.state,
    runId: r.run_id,
    reused: r.reused === 1,
    slurmJobId: r.slurm_job_id,
    slurmState: r.slurm_state,
    error: r.error,
  };
}
