/**
 * Run configuration and run records. The config types are derived from the config schema
 * (./schema/run-config.ts: each field declared, bounded, defaulted and documented once).
 */
import type { TopographyEpoch, WiringEpoch } from './analysis';
import type { RunStatus } from './schema/enums';
import type { RunConfig } from './schema/run-config';

export type { PruneRank, PruneScope, RunStatus, SpatialKernelName, StoredRunStatus } from './schema/enums';
export { RUN_STATUSES, STORED_RUN_STATUSES } from './schema/enums';
export type { DatasetSpec, PruningConfig, RunConfig, TrainingSpec } from './schema/run-config';

/** A TensorFlow.js backend, or SEN Lab's WebAssembly engine with its thread count, e.g. "sen-simd (2 threads)". */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | `sen-simd${string}`;

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  durationMs: number;
  samplesPerSec: number;
}

export interface RunSummary {
  id: string;
  name: string;
  status: RunStatus;
  preset: string | null;
  modelKind: 'spatial' | 'dense';
  layers: number[];
  dataset: string;
  params: number;
  backend: string;
  epochsDone: number;
  epochsPlanned: number;
  testAccuracy: number | null;
  trainLoss: number | null;
  createdAt: string;
  finishedAt: string | null;
  durationMs: number;
  tags: string[];
  notes: string;
  archived: boolean;
  error: string | null;
}

export interface RunDetail extends RunSummary {
  config: RunConfig;
  epochs: EpochMetrics[];
  /** per-epoch wiring of spatial runs (absent for dense runs and runs recorded before it existed) */
  wiring?: WiringEpoch[];
  /** per-epoch topography score of non-spiking spatial runs with hidden layers */
  topography?: TopographyEpoch[];
  /**
   * the class names of an IDX folder's `classes.txt` (label order), read when the run is fetched; absent
   * for the built-in data sets (Fashion-MNIST's names are in shared/class-names.ts) and for folders
   * without one, or whose file is gone or no longer fits the output layer (numbers are shown then)
   */
  classNames?: string[];
}
