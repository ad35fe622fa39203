import type Database from 'better-sqlite3';
import { StoreError } from './errors';

/** One schema step. Never edit a released migration: append a new one instead. */
export interface Migration {
  /** `YYYY-MM-DD-description`, unique; the array is ordered by it */
  name: string;
  /** SQL run with `exec` inside the migration transaction */
  sql: string;
}

/** `PRAGMA application_id` of a SEN Lab run database ("SENL" as a big-endian int32). */
export const APPLICATION_ID = 0x53454e4c;

/**
 * All schema migrations, oldest first. Migration i (0-based) brings the database to
 * `PRAGMA user_version = i + 1`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: '2026-11-28-initial',
    sql: `
      PRAGMA application_id = ${APPLICATION_ID};

      CREATE TABLE runs (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
        config         TEXT NOT NULL,             -- RunConfig as JSON, verbatim
        preset         TEXT,
        model_kind     TEXT NOT NULL CHECK (model_kind IN ('spatial', 'dense')),
        layers         TEXT NOT NULL,             -- JSON array of layer sizes
        dataset        TEXT NOT NULL,
        params         INTEGER NOT NULL,
        backend        TEXT NOT NULL,
        epochs_planned INTEGER NOT NULL,
        epochs_done    INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL,             -- ISO 8601 UTC
        started_at     TEXT,
        resumed_at     TEXT,
        finished_at    TEXT,
        duration_ms    REAL NOT NULL DEFAULT 0,   -- sum of epoch durations
        test_accuracy  REAL,                      -- of the latest epoch
        train_loss     REAL,                      -- of the latest epoch
        tags           TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
        notes          TEXT NOT NULL DEFAULT '',
        archived       INTEGER NOT NULL DEFAULT 0,
        error          TEXT,
        pid            INTEGER,
        hostname       TEXT
      );
      CREATE INDEX runs_by_created ON runs (created_at DESC);
      CREATE INDEX runs_by_status ON runs (status);

      CREATE TABLE epochs (
        run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        epoch           INTEGER NOT NULL,
        train_loss      REAL,
        train_accuracy  REAL,
        test_loss       REAL,
        test_accuracy   REAL,
        duration_ms     REAL,
        samples_per_sec REAL,
        PRIMARY KEY (run_id, epoch)
      ) WITHOUT ROWID;

      CREATE TABLE snapshots (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        epoch  INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );

      -- only the latest checkpoint of each run is kept (replaced on write)
      CREATE TABLE checkpoints (
        run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        epoch  INTEGER NOT NULL,
        data   BLOB NOT NULL
      );

      CREATE TABLE models (
        run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        data   BLOB NOT NULL
      );
    `,
  },
  {
    // Pruning studies: one row per study, one per measured point, one per unpruned base run.
    // study_results.run_id and study_baselines.run_id keep the run id as text (no foreign key):
    // a measured point stays valid, and keeps naming its run, even after that run is deleted.
    name: '2026-11-28-studies',
    sql: `
      CREATE TABLE studies (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
        spec        TEXT NOT NULL,              -- StudySpec as JSON (normalised)
        created_at  TEXT NOT NULL,              -- ISO 8601 UTC
        started_at  TEXT,
        finished_at TEXT,
        done        INTEGER NOT NULL DEFAULT 0, -- rows in study_results
        total       INTEGER NOT NULL DEFAULT 0, -- results planned
        error       TEXT,
        pid         INTEGER,
        hostname    TEXT
      );
      CREATE INDEX studies_by_created ON studies (created_at DESC);

      CREATE TABLE study_results (
        study_id      TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        model         TEXT NOT NULL,            -- the model's label
        mode          TEXT NOT NULL CHECK (mode IN ('post', 'during')),
        rate          REAL NOT NULL,
        seed          INTEGER NOT NULL,
        run_id        TEXT NOT NULL,
        sparsity      REAL NOT NULL,
        test_accuracy REAL NOT NULL,
        PRIMARY KEY (study_id, model, mode, rate, seed)
      );

      CREATE TABLE study_baselines (
        study_id      TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        model         TEXT NOT NULL,
        seed          INTEGER NOT NULL,
        run_id        TEXT NOT NULL,
        test_accuracy REAL NOT NULL,
        PRIMARY KEY (study_id, model, seed)
      );
    `,
  },
  {
    // One writer per run: a random token per claim next to pid and hostname, so a claim is one
    // compare-and-set and a writer can check, at every write, that the run is still its own.
    name: '2026-12-05-run-owner',
    sql: `ALTER TABLE runs ADD COLUMN owner_token TEXT;`,
  },
  {
    // Per-step training history (issue 14 §2): the running train loss / accuracy every N steps,
    // N chosen so a run keeps at most a few thousand points (src/shared/step-history.ts).
    name: '2026-12-05-step-history',
    sql: `
      CREATE TABLE run_steps (
        run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        step     INTEGER NOT NULL,
        epoch    INTEGER NOT NULL,
        batch    INTEGER NOT NULL,
        samples  INTEGER NOT NULL,
        time_ms  REAL NOT NULL,
        loss     REAL,
        accuracy REAL,
        PRIMARY KEY (run_id, step)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Sweeps: a plan of trainings run by an executor (local or Slurm); one row per planned training,
    // linked to its run once it exists (run_id as text, like studies: the row outlives a deleted run).
    name: '2026-12-05-sweeps',
    sql: `
      CREATE TABLE sweeps (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted', 'cancelled')),
        spec        TEXT NOT NULL,              -- SweepSpec as JSON
        options     TEXT NOT NULL,              -- SweepExecutorOptions as JSON
        executor    TEXT NOT NULL CHECK (executor IN ('local', 'slurm')),
        created_at  TEXT NOT NULL,
        finished_at TEXT,
        error       TEXT,
        pid         INTEGER,
        hostname    TEXT
      );
      CREATE INDEX sweeps_by_created ON sweeps (created_at DESC);

      CREATE TABLE sweep_trainings (
        sweep_id     TEXT NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        key          TEXT NOT NULL,             -- sha256 prefix of the normalised config
        config       TEXT NOT NULL,             -- RunConfig as JSON
        vals         TEXT NOT NULL,             -- the spec's choices for it, by dotted path (JSON)
        state        TEXT NOT NULL CHECK (state IN ('queued', 'pending', 'running', 'done', 'failed', 'cancelled')),
        run_id       TEXT,
        reused       INTEGER NOT NULL DEFAULT 0,
        slurm_job_id TEXT,                      -- JOBID_INDEX of the array task
        slurm_state  TEXT,
        error        TEXT,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (sweep_id, idx)
      );
      CREATE INDEX sweep_trainings_by_run ON sweep_trainings (run_id);
    `,
  },
  {
    // issue 15: per-epoch wiring and topography measurements (JSON), dropped with their run
    name: '2026-12-05-wiring-topography',
    sql: `
      CREATE TABLE epoch_analysis (
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        epoch      INTEGER NOT NULL,
        wiring     TEXT,  -- WiringEpoch JSON
        topography TEXT,  -- TopographyEpoch JSON
        PRIMARY KEY (run_id, epoch)
      );
    `,
  },
];

/** The schema version this code writes and understands (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Reads `PRAGMA user_version`. */
export function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The error for a database whose schema is newer than {@link SCHEMA_VERSION}. */
export function newerSchemaError(file: string, version: number, supported: number = SCHEMA_VERSION): StoreError {
  return new StoreError(
    'newer-schema',
    `run database ${file} has schema version ${version}, but this version of SEN Lab supports up to ` +
      `${supported}; update SEN Lab to open it (the file was not modified)`,
  );
}

/**
 * Brings `db` up to {@link SCHEMA_VERSION}: all pending migrations run in order inside one
 * IMMEDIATE transaction (so two processes opening a fresh file cannot both migrate it), and
 * `user_version` is bumped inside the same transaction. Returns the names of applied migrations.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): string[] {
  const run = db.transaction((): string[] => {
    const current = readUserVersion(db);
    if (current > migrations.length) throw newerSchemaError(file, current, migrations.length);
    const applied: string[] = [];
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v].sql);
      db.pragma(`user_version = ${v + 1}`);
      applied.push(migrations[v].name);
    }
    return applied;
  });
  return run.immediate();
}
