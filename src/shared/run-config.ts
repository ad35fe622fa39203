/**
 * Run configuration and run records. The config types are derived from the config schema
 * (./schema/run-config.ts: each field declared, bounded, defaulted and documented once).
 */
export type { PruneScope, RunStatus, SpatialKernelName } from './schema/enums';
export { RUN_STATUSES } from './schema/enums';
export type { DatasetSpec, PruningConfig, RunConfig, TrainingSpec } from './schema/run-config';
import type { RunConfig } from './schema/run-config';
import type { RunStatus } from './schema/enums';

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
}
