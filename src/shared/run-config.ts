import type { ModelSpec } from './model-spec';
import type { TopographyEpoch, WiringEpoch } from './analysis';

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
  /**
   * lambda of the wiring cost lambda * sum_l sum_ij |w_ij| d_ij added to the loss (absent or 0: none).
   * With the paper's inverse kernel |w| d = |mask_i| exactly, so the cost then ignores positions.
   */
  wiringCost?: number;
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
  /** ranking of spatial connections: 'length' (default, the paper's: longest first) or 'weight' (true |w|, mask included) */
  rank?: PruneRank;
}

/** How spatial connections are ranked for pruning: by length (the paper's rule) or by the true |w| = |mask| * K(d). */
export type PruneRank = 'length' | 'weight';

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
  /** keep at most this many snapshots per run, thinned evenly, first and last kept (absent: 200) */
  maxSnapshots?: number;
  /** prune while training (absent: no pruning) */
  pruning?: PruningConfig;
}

/** 'queued': waiting in a lab for a free training slot (never stored; see LabStatus.queuedRunIds). */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'interrupted';

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
}
