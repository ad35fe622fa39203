/**
 * Importing a whole run (from a run bundle) into the store in one transaction: the run row, its
 * epochs, snapshots, latest checkpoint and final model. RunStore inherits this.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import { EPOCH_COLUMNS } from './rows';
import { SweepStore } from './sweeps';

/** The `runs` columns a run record carries (the initial schema's; later columns keep their defaults). */
export const RECORD_RUN_COLUMNS = [
  'id',
  'name',
  'status',
  'config',
  'preset',
  'model_kind',
  'layers',
  'dataset',
  'params',
  'backend',
  'epochs_planned',
  'epochs_done',
  'created_at',
  'started_at',
  'resumed_at',
  'finished_at',
  'duration_ms',
  'test_accuracy',
  'train_loss',
  'tags',
  'notes',
  'error',
  'hostname',
] as const;

/** One run with everything stored about it, as read from another run database. */
export interface RunRecord {
  run: Record<(typeof RECORD_RUN_COLUMNS)[number], unknown>;
  /** `epochs` rows with their column names */
  epochs: Record<string, unknown>[];
  snapshots: { epoch: number; data: Uint8Array }[];
  checkpoint: { epoch: number; data: Uint8Array } | null;
  model: Uint8Array | null;
  /** epoch_analysis rows (wiring / topography JSON); absent in bundles written before that table */
  analysis?: { epoch: number; wiring: string | null; topography: string | null }[];
}

/** What `importRunRecord` did: inserted, replaced an older copy (fewer epochs / not completed), or nothing. */
export type ImportAction = 'imported' | 'updated' | 'unchanged';

const EPOCH_KEYS = EPOCH_COLUMNS.split(', ');

export abstract class ImportStore extends SweepStore {
  protected constructor(file: string, db: Database.Database) {
    super(file, db);
  }

  /**
   * Inserts `rec` atomically (BEGIN IMMEDIATE: two processes importing the same run give one run).
   * A run with the same id and the same config (`sameConfig` on the stored config JSON) is kept when
   * it is completed or has at least as many epochs, else replaced; another config is refused.
   * @throws StoreError 'conflict' (nothing written)
   */
  importRunRecord(rec: RunRecord, sameConfig: (storedConfigJson: string) => boolean): ImportAction {
    const id = String(rec.run.id);
    return this.immediate((): ImportAction => {
      const existing = this.stmt('SELECT config, status, epochs_done FROM runs WHERE id = ?').get(id) as
        { config: string; status: string; epochs_done: number } | undefined;
      if (existing) {
        if (!sameConfig(existing.config)) {
          throw new StoreError(
            'conflict',
            `run ${id} already exists in ${this.path} with a different config; the bundle was not imported`,
          );
        }
        if (existing.status === 'running')
          throw new StoreError('conflict', `run ${id} is being trained in ${this.path} right now; not imported`);
        const newer = rec.run.status === 'completed' && existing.status !== 'completed';
        const more = Number(rec.run.epochs_done) > existing.epochs_done && existing.status !== 'completed';
        if (!newer && !more) return 'unchanged';
        this.stmt('DELETE FROM runs WHERE id = ?').run(id);
      }
      this.insertRecord(rec);
      return existing ? 'updated' : 'imported';
    });
  }

  private insertRecord(rec: RunRecord): void {
    const cols = RECORD_RUN_COLUMNS.join(', ');
    const status = rec.run.status === 'running' ? 'interrupted' : rec.run.status; // its writer is gone
    this.stmt(`INSERT INTO runs (${cols}) VALUES (${RECORD_RUN_COLUMNS.map((c) => `@${c}`).join(', ')})`).run({
      ...rec.run,
      status,
    });
    const id = rec.run.id;
    for (const e of rec.epochs) {
      const names = EPOCH_KEYS.filter((k) => k in e);
      this.stmt(`INSERT INTO epochs (run_id, ${names.join(', ')}) VALUES (?, ${names.map(() => '?').join(', ')})`).run(
        id,
        ...names.map((k) => e[k]),
      );
    }
    const snap = this.stmt('INSERT INTO snapshots (run_id, epoch, data) VALUES (?, ?, ?)');
    for (const s of rec.snapshots) snap.run(id, s.epoch, s.data);
    if (rec.checkpoint)
      this.stmt('INSERT INTO checkpoints (run_id, epoch, data) VALUES (?, ?, ?)').run(
        id,
        rec.checkpoint.epoch,
        rec.checkpoint.data,
      );
    if (rec.model) this.stmt('INSERT INTO models (run_id, data) VALUES (?, ?)').run(id, rec.model);
    const analysis = this.stmt('INSERT INTO epoch_analysis (run_id, epoch, wiring, topography) VALUES (?, ?, ?, ?)');
    for (const a of rec.analysis ?? []) analysis.run(id, a.epoch, a.wiring, a.topography);
  }
}
