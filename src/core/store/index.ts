/**
 * The SEN Lab run store (SQLite via better-sqlite3). Plain Node: used by the CLI, the Electron
 * main process and the local HTTP server.
 */
export { RunStore } from './store';
export { StudyStore } from './studies';
export type { CreateSweepInput, SweepTrainingPatch } from './sweeps';
export { RECORD_RUN_COLUMNS, type ImportAction, type RunRecord } from './imports';
export { StoreError, isStoreError, type StoreErrorCode } from './errors';
export { defaultDbPath, DB_ENV_VAR, DB_FILE_NAME, type DefaultDbPathOptions } from './paths';
export { MIGRATIONS, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations';
export { MIN_ID_PREFIX } from './ids';
export type { RunClaim } from './ownership';
export { BUSY_TIMEOUT_MS, type StoreOpenOptions } from './open';
export type {
  Checkpoint,
  CreateRunInput,
  CreateStudyInput,
  FinishStudyStatus,
  RunConfigEntry,
  StudyBaseline,
  FinishRunOptions,
  FinishStatus,
  ListRunsOptions,
  RecordEpochOptions,
  RunOrderBy,
} from './types';
