/**
 * Argument and result types of the run store API.
 */
import { STORED_RUN_STATUSES } from '../../shared/schema/enums';
import type { StudySpec, StudyStatus } from '../../shared/lab-api';
import type { RunConfig, RunStatus } from '../../shared/run-config';
import type { EpochAnalysis } from '../../shared/analysis';

/** Input of `RunStore.createRun`. */
export interface CreateRunInput {
  config: RunConfig;
  backend: string;
  params: number;
  /** defaults to `config.name`, else `${preset ?? model kind}-${YYYY-MM-DD HH:MM}` */
  name?: string;
  /** the id to use (a queued training's id, see src/main/services/training-queue.ts); default: a new one */
  id?: string;
  /** the writer's owner token (see ownership.ts); default: a new one */
  ownerToken?: string;
}

/** Blobs written together with an epoch's metrics by `RunStore.recordEpoch`. */
export interface RecordEpochOptions {
  /** encoded position snapshot for this epoch */
  snapshot?: Uint8Array;
  /** encoded training checkpoint; replaces the run's previous one */
  checkpoint?: Uint8Array;
  /** keep at most this many snapshots for the run, thinned evenly (first and last kept); default: no bound */
  maxSnapshots?: number;
  /** the writer's owner token: nothing is written unless the run is still running under it */
  owner?: string;
  /** wiring and topography of this epoch (stored as JSON in epoch_analysis) */
  analysis?: EpochAnalysis;
}

/** Terminal statuses accepted by `RunStore.finishRun`. */
export type FinishStatus = Exclude<RunStatus, 'running'>;

/** Options of `RunStore.finishRun`. */
export interface FinishRunOptions {
  error?: string;
  /** encoded final model parameters */
  finalModel?: Uint8Array;
  /** the writer's owner token: nothing is written unless the run is still running under it */
  owner?: string;
}

/** Sort keys of `RunStore.listRuns`. */
export type RunOrderBy = 'createdAt' | 'name' | 'testAccuracy' | 'durationMs' | 'epochsDone';

/** Filters of `RunStore.listRuns`. */
export interface ListRunsOptions {
  status?: RunStatus | RunStatus[];
  /** whitespace-separated terms; each must match (case-insensitive substring) id, name, preset, tags or notes */
  search?: string;
  /** exact tag */
  tag?: string;
  /** default false */
  includeArchived?: boolean;
  limit?: number;
  offset?: number;
  /** default 'createdAt' */
  orderBy?: RunOrderBy;
  /** default 'asc' for name, 'desc' otherwise (newest, best, longest first); nulls always last */
  direction?: 'asc' | 'desc';
}

/** The latest checkpoint of a run. */
export interface Checkpoint {
  epoch: number;
  data: Uint8Array;
}

/** Every run status (declared once, in src/shared/schema/enums.ts). */
export { STORED_RUN_STATUSES as RUN_STATUSES } from '../../shared/schema/enums';

/** Statuses `finishRun` accepts. */
export const FINISH_STATUSES: readonly FinishStatus[] = STORED_RUN_STATUSES.filter(
  (s) => s !== 'running',
) as FinishStatus[];

/** Input of `RunStore.createStudy`. */
export interface CreateStudyInput {
  /** trimmed; must not be empty */
  name: string;
  /** stored verbatim as JSON */
  spec: StudySpec;
  /** results planned */
  total: number;
}

/** The unpruned accuracy of one model and seed, from its base run (`RunStore.recordStudyBaseline`). */
export interface StudyBaseline {
  model: string;
  seed: number;
  runId: string;
  testAccuracy: number;
}

/** Statuses `finishStudy` accepts. */
export type FinishStudyStatus = Exclude<StudyStatus, 'running'>;

/** A run's id, status, tags and config, for finding a run to reuse (`RunStore.listRunConfigs`). */
export interface RunConfigEntry {
  id: string;
  status: RunStatus;
  tags: string[];
  config: RunConfig;
  /** the run has a stored final model */
  hasModel: boolean;
}
