/**
 * "How long will this take here?" before Start: the measured training speed (samples/s) of stored
 * runs of the same shape on this machine (same model kind, layers, engine and spiking time steps),
 * times the images the new run will see. Test evaluation is not counted.
 */
import type { RunConfig, RunSummary } from '../../../shared/run-config';

export interface CostEstimate {
  trainings: number;
  /** estimated training time of all of them, ms; null when no run of this shape was measured */
  ms: number | null;
  /** median samples/s of the matching runs */
  samplesPerSec: number | null;
  /** how many stored runs the speed comes from */
  basis: number;
}

const shape = (c: RunConfig): string =>
  JSON.stringify([c.model.kind, c.model.layers, c.kernel, c.model.spiking?.timeSteps ?? 0, c.training.batchSize]);

/** Images one epoch trains on: the subset, else the whole MNIST-sized training split. */
export const trainImages = (c: RunConfig): number => c.dataset.trainSize ?? 60_000;

export function estimateCost(
  config: RunConfig,
  runs: readonly RunSummary[],
  configs: ReadonlyMap<string, RunConfig>,
  trainings = 1,
): CostEstimate {
  const key = shape(config);
  const speeds = runs
    .filter((r) => r.epochsDone > 0 && r.durationMs > 0)
    .flatMap((r) => {
      const c = configs.get(r.id);
      return c && shape(c) === key ? [(r.epochsDone * trainImages(c)) / (r.durationMs / 1000)] : [];
    })
    .sort((a, b) => a - b);
  if (!speeds.length) return { trainings, ms: null, samplesPerSec: null, basis: 0 };
  const sps = speeds[Math.floor(speeds.length / 2)];
  return {
    trainings,
    ms: (trainings * config.training.epochs * trainImages(config) * 1000) / sps,
    samplesPerSec: sps,
    basis: speeds.length,
  };
}
