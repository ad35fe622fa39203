/**
 * A sweep's cost before it runs, from speeds this store has recorded: the median training speed
 * (samples/s) of recent completed runs with the same model (kind, layers, spiking, batch size).
 */
import type { PlannedTraining } from '../../shared/sweep';
import type { RunStore } from '../store/index';
import { FULL_TRAIN_SIZE } from '../reproduce/plan';
import { recordedSpeed, shapeKey } from '../cost/speed';

export interface SweepEstimate {
  /** total CPU-hours (seconds x cpus per training / 3600) of the trainings with a known speed */
  cpuHours: number;
  /** trainings with a recorded speed */
  known: number;
  /** trainings whose model has never been trained in this store (no speed to go by) */
  unknown: number;
  /** estimated seconds per training (null = unknown) */
  seconds: (number | null)[];
}

/** Estimates every training of a plan; `cpusPerTraining` is 1 locally, --cpus-per-task on Slurm. */
export function estimateSweep(
  store: RunStore,
  trainings: readonly PlannedTraining[],
  cpusPerTraining = 1,
): SweepEstimate {
  const speeds = new Map<string, number | null>();
  const seconds = trainings.map((t) => {
    const shape = shapeKey(t.config);
    if (!speeds.has(shape)) speeds.set(shape, recordedSpeed(store, t.config));
    const sps = speeds.get(shape)!;
    if (sps === null) return null;
    return (t.config.training.epochs * (t.config.dataset.trainSize ?? FULL_TRAIN_SIZE)) / sps;
  });
  const known = seconds.filter((s): s is number => s !== null);
  return {
    cpuHours: (known.reduce((a, b) => a + b, 0) * cpusPerTraining) / 3600,
    known: known.length,
    unknown: seconds.length - known.length,
    seconds,
  };
}
