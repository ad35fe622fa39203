/**
 * The study side of the run store: tables `studies`, `study_results` and `study_baselines`
 * (migration 2026-11-28-studies). RunStore extends StudyStore, so these are RunStore methods.
 */
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { StudyDetail, StudyMode, StudyResult, StudySpec, StudyStatus, StudySummary } from '../../shared/lab-api';
import { StoreError } from './errors';
import { newStudyId } from './ids';
import { isStaleOwner } from './recovery';
import { StoreBase } from './store-base';
import type { CreateStudyInput, FinishStudyStatus, StudyBaseline } from './types';

const SUMMARY_COLUMNS = 'id, name, status, created_at, finished_at, done, total, error';

interface StudyRow {
  id: string;
  name: string;
  status: StudyStatus;
  created_at: string;
  finished_at: string | null;
  done: number;
  total: number;
  error: string | null;
}

interface ResultRow {
  model: string;
  mode: StudyMode;
  rate: number;
  seed: number;
  run_id: string;
  sparsity: number;
  test_accuracy: number;
}

const FINISH: readonly FinishStudyStatus[] = ['completed', 'failed', 'interrupted'];

/** Pruning studies and their results; every method is synchronous, like the rest of the store. */
export abstract class StudyStore extends StoreBase {
  /** Ids of stale 'running' studies marked 'interrupted' when the store was opened. */
  readonly recoveredStudiesAtOpen: readonly string[];

  protected constructor(file: string, db: Database.Database) {
    super(file, db);
    this.recoveredStudiesAtOpen = db.readonly ? [] : this.recoverStaleStudies();
  }

  /** Starts a pruning study with status 'running', owned by this process. */
  createStudy(input: CreateStudyInput): StudySummary {
    const name = String(input.name ?? '').trim();
    if (name === '') throw new StoreError('invalid', 'a study name cannot be empty');
    if (!Number.isSafeInteger(input.total) || input.total < 0)
      throw new StoreError('invalid', `createStudy: bad total ${input.total}`);
    const now = new Date().toISOString();
    const id = this.immediate(() => {
      let candidate = newStudyId();
      while (this.studyExists(candidate)) candidate = newStudyId();
      this.stmt(
        `INSERT INTO studies (id, name, status, spec, created_at, started_at, total, pid, hostname)
           VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      ).run(candidate, name, JSON.stringify(input.spec), now, now, input.total, process.pid, os.hostname());
      return candidate;
    });
    return this.studySummary(id);
  }

  /** Stores one point of a study (upsert on model, mode, rate and seed) and updates its `done` count. */
  recordStudyResult(id: string, r: StudyResult): StudySummary {
    const studyId = this.resolveStudyId(id);
    if (r.mode !== 'post' && r.mode !== 'during')
      throw new StoreError('invalid', `study result: bad mode '${String(r.mode)}'`);
    for (const [k, v] of [
      ['rate', r.rate],
      ['sparsity', r.sparsity],
      ['testAccuracy', r.testAccuracy],
    ] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new StoreError('invalid', `study result: ${k} must be a finite number`);
    }
    this.immediate(() => {
      this.stmt(
        `INSERT INTO study_results (study_id, model, mode, rate, seed, run_id, sparsity, test_accuracy)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (study_id, model, mode, rate, seed)
           DO UPDATE SET run_id = excluded.run_id, sparsity = excluded.sparsity, test_accuracy = excluded.test_accuracy`,
      ).run(studyId, r.model, r.mode, r.rate, r.seed, r.runId, r.sparsity, r.testAccuracy);
      this.stmt(
        'UPDATE studies SET done = (SELECT count(*) FROM study_results WHERE study_id = @id) WHERE id = @id',
      ).run({ id: studyId });
    });
    return this.studySummary(studyId);
  }

  /** Stores (or replaces) the unpruned accuracy of one model and seed of a study. */
  recordStudyBaseline(id: string, b: StudyBaseline): void {
    if (!Number.isFinite(b.testAccuracy))
      throw new StoreError('invalid', 'study baseline: testAccuracy must be a finite number');
    this.stmt(
      `INSERT OR REPLACE INTO study_baselines (study_id, model, seed, run_id, test_accuracy) VALUES (?, ?, ?, ?, ?)`,
    ).run(this.resolveStudyId(id), b.model, b.seed, b.runId, b.testAccuracy);
  }

  /** Ends a study: 'completed', 'interrupted' or 'failed' (with `error`). */
  finishStudy(id: string, status: FinishStudyStatus, error?: string): StudySummary {
    if (!FINISH.includes(status)) throw new StoreError('invalid', `finishStudy: bad status '${status}'`);
    const studyId = this.resolveStudyId(id);
    this.stmt('UPDATE studies SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(
      status,
      new Date().toISOString(),
      error ?? null,
      studyId,
    );
    return this.studySummary(studyId);
  }

  /** A study by id or unique prefix, with its spec, results (in the order measured) and baselines (mean over seeds per model). */
  getStudy(idOrPrefix: string): StudyDetail {
    const studyId = this.resolveStudyId(idOrPrefix);
    const row = this.stmt(`SELECT ${SUMMARY_COLUMNS}, spec FROM studies WHERE id = ?`).get(studyId) as StudyRow & {
      spec: string;
    };
    const results = (
      this.stmt(
        'SELECT model, mode, rate, seed, run_id, sparsity, test_accuracy FROM study_results WHERE study_id = ? ORDER BY rowid',
      ).all(studyId) as ResultRow[]
    ).map(toResult);
    const baseRows = this.stmt(
      'SELECT model, run_id, test_accuracy FROM study_baselines WHERE study_id = ? ORDER BY rowid',
    ).all(studyId) as { model: string; run_id: string; test_accuracy: number }[];
    const baselines = new Map<string, { sum: number; runIds: string[] }>();
    for (const b of baseRows) {
      const entry = baselines.get(b.model) ?? { sum: 0, runIds: [] };
      entry.sum += b.test_accuracy;
      entry.runIds.push(b.run_id);
      baselines.set(b.model, entry);
    }
    return {
      ...toSummary(row),
      spec: JSON.parse(row.spec) as StudySpec,
      results,
      baselines: [...baselines].map(([model, e]) => ({
        model,
        testAccuracy: e.sum / e.runIds.length,
        runIds: e.runIds,
      })),
    };
  }

  /** Every study, newest first. */
  listStudies(): StudySummary[] {
    return (
      this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM studies ORDER BY created_at DESC, rowid DESC`).all() as StudyRow[]
    ).map(toSummary);
  }

  /** Deletes a study with its results and baselines; the runs it trained stay (tagged `study:<id>`). */
  deleteStudy(id: string): void {
    this.stmt('DELETE FROM studies WHERE id = ?').run(this.resolveStudyId(id));
  }

  /** The full id for an exact study id or a unique prefix (at least 4 characters). */
  resolveStudyId(idOrPrefix: string): string {
    return this.resolveIdIn('studies', 'study', idOrPrefix);
  }

  /** Marks 'running' studies whose process is gone as 'interrupted' (the rule of `isStaleOwner`). */
  recoverStaleStudies(): string[] {
    return this.immediate(() => {
      const rows = this.stmt(
        "SELECT id, pid, hostname, coalesce(started_at, created_at) AS claimedAt FROM studies WHERE status = 'running'",
      ).all() as { id: string; pid: number | null; hostname: string | null; claimedAt: string | null }[];
      const stale = rows.filter((r) => isStaleOwner(r));
      const mark = this.stmt(
        "UPDATE studies SET status = 'interrupted', error = ? WHERE id = ? AND status = 'running'",
      );
      for (const r of stale)
        mark.run(`the process running the study (pid ${r.pid ?? '?'}) ended without finishing it`, r.id);
      return stale.map((r) => r.id);
    });
  }

  private studyExists(id: string): boolean {
    return this.stmt('SELECT 1 FROM studies WHERE id = ?').get(id) !== undefined;
  }

  private studySummary(id: string): StudySummary {
    const row = this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM studies WHERE id = ?`).get(id) as StudyRow | undefined;
    if (row === undefined) throw new StoreError('not-found', `no study with id '${id}'`);
    return toSummary(row);
  }
}

function toSummary(row: StudyRow): StudySummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    done: row.done,
    total: row.total,
    error: row.error,
  };
}

function toResult(row: ResultRow): StudyResult {
  return {
    model: row.model,
    mode: row.mode,
    rate: row.rate,
    seed: row.seed,
    runId: row.run_id,
    sparsity: row.sparsity,
    testAccuracy: row.test_accuracy,
  };
}
