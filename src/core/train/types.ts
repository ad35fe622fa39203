import type { NamedArray } from '../../shared/codec';
import type { BackendName, EpochMetrics, RunConfig } from '../../shared/run-config';
import type { Dataset } from '../data/types';
import type { StepPoint } from '../../shared/step-history';
import type { EpochAnalysis } from '../../shared/analysis';

/** Live progress inside an epoch; emitted at most ~10 times per second. */
export interface BatchProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** running mean training loss of this epoch so far */
  loss: number;
  samplesPerSec: number;
  elapsedMs: number;
}

/** What the trainer hands out after every finished epoch. */
export interface EpochResult {
  metrics: EpochMetrics;
  /** positions, z, gaps and inhibition values (spatial models) as encodeArrays() bytes; absent when not due */
  snapshot?: Uint8Array;
  /** parameters + optimizer state + RNG state, enough to resume exactly after this epoch */
  checkpoint: Uint8Array;
  /** wiring and topography measured after this epoch (spatial models) */
  analysis?: EpochAnalysis;
}

export interface TrainCallbacks {
  /** before the first batch: the epoch training starts after (0, or the checkpoint's) and, on a fresh run, the epoch-0 snapshot */
  onStart?(info: {
    startEpoch: number;
    initialSnapshot?: Uint8Array;
    initialAnalysis?: EpochAnalysis;
  }): void | Promise<void>;
  onBatch?(p: BatchProgress): void;
  onEpoch?(e: EpochResult): void | Promise<void>;
  /**
   * Live geometry while an epoch trains (spatial models only), at most every `livePositionsMs`:
   * encodeArrays() bytes of the same arrays as a snapshot, meta { kind: 'snapshot', epoch, batch }.
   */
  onPositions?(p: { epoch: number; batch: number; snapshot: Uint8Array }): void;
  /**
   * Training stopped inside an epoch (`signal`): a checkpoint that continues from the next batch
   * exactly (meta.partial), handed out before the trainer returns 'interrupted'.
   */
  /**
   * A point of the step history: every `stepInterval(epochs x batches)` steps, the mean training
   * loss and accuracy since the previous point (at most MAX_STEP_POINTS per run).
   */
  onStep?(p: StepPoint): void;
  onInterrupt?(p: { epoch: number; batch: number; checkpoint: Uint8Array }): void | Promise<void>;
}

export interface TrainOptions {
  config: RunConfig;
  data: Dataset;
  /** stop now: after the current batch, handing out a mid-epoch checkpoint (onInterrupt) */
  signal?: AbortSignal;
  /** stop after the epoch in progress has finished (and been handed out through onEpoch) */
  stopAfterEpoch?: AbortSignal;
  /** a checkpoint (an EpochResult's, or a mid-epoch one from onInterrupt): training continues where it ended */
  resume?: Uint8Array;
  callbacks?: TrainCallbacks;
  /** minimum interval between onPositions calls (default 250 ms; 0 or no callback: off) */
  livePositionsMs?: number;
}

export interface TrainResult {
  status: 'completed' | 'interrupted';
  epochs: EpochMetrics[];
  /** every parameter of the final model, encodeArrays() bytes with meta { spec } */
  finalModel: Uint8Array;
  backend: BackendName;
}

export type { NamedArray };
