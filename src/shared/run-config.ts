import type { ModelSpec } from './model-spec';

/** Which data set a run trains on. `name` is 'mnist', 'fashion-mnist' or a folder of IDX files. */
export interface DatasetSpec {
  name: string;
  /** use only the first N training images (default: all) */
  trainSize?: number;
  /** use only the first N test images (default: all) */
  testSize?: number;
}

export interface TrainingSpec {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** seeds initialisation and shuffling; the same seed and backend give identical metrics */
  seed: number;
}

/**
 * Magnitude pruning during training (the paper's mode (b)): at every forward pass the connections
 * with the smallest |w| (for a spatial network: the longest, |w| = 1/d) are removed.
 */
export interface PruningConfig {
  /** fraction of connections removed, 0 <= rate < 1 */
  rate: number;
  /** rank all connections together ('global', default) or each layer on its own ('per-layer') */
  scope: 'global' | 'per-layer';
  /** 'constant': the full rate from the first step (the paper's); 'gradual': ramps linearly from 0 over rampEpochs */
  schedule: 'constant' | 'gradual';
  /** epochs of the gradual ramp (default: half the training) */
  rampEpochs?: number;
}

/** Which implementation computes the spatial layer's weights (and their gradient). */
/** 'simd': SEN Lab's own WebAssembly SIMD training engine (non-spiking models; spiking ones train on tfjs with 'fused'). */
export type SpatialKernelName = 'fused' | 'tfjs' | 'simd';

/** Everything needed to re-run a run exactly. Stored verbatim with every run. */
export interface RunConfig {
  name?: string;
  /** the preset the config was built from, if any (informational) */
  preset?: string;
  model: ModelSpec;
  dataset: DatasetSpec;
  training: TrainingSpec;
  kernel: SpatialKernelName;
  /** store a position snapshot every N epochs (default 1); the first (epoch 0) and last are always kept */
  snapshotEvery: number;
  /** prune while training (absent: no pruning) */
  pruning?: PruningConfig;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

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
