/** Series layouts and data for the loss / accuracy charts of one run or of a comparison. */
import type { EpochMetrics, RunConfig } from '../../../shared/run-config';
import type { StepPoint } from '../../../shared/step-history';
import type { CurveBatch, CurvePoint, CurveSeries } from './curves';
import { CURVE_COLORS, runColor } from './palette';
import type { ScaleRun } from './x-scale';

/** the step-history series (train loss / accuracy every N steps, as stored and as it arrives live) */
export const STEP_LOSS = 'steps';
export const STEP_ACCURACY = 'stepAccuracy';

export const LOSS_SERIES: readonly CurveSeries[] = [
  { id: STEP_LOSS, name: 'train (per steps)', color: CURVE_COLORS.live, width: 1.25, symbols: false, background: true },
  { id: 'trainLoss', name: 'train', color: CURVE_COLORS.train },
  { id: 'testLoss', name: 'test', color: CURVE_COLORS.test },
];

export const ACCURACY_SERIES: readonly CurveSeries[] = [
  {
    id: STEP_ACCURACY,
    name: 'train (per steps)',
    color: CURVE_COLORS.live,
    width: 1.25,
    symbols: false,
    background: true,
  },
  { id: 'trainAccuracy', name: 'train', color: CURVE_COLORS.train },
  { id: 'testAccuracy', name: 'test', color: CURVE_COLORS.test },
];

/**
 * Batches per epoch of a run: from its step points (step = (epoch - 1) x batches + batch), else from
 * its config (the MNIST-sized 60,000 images when the config takes the whole training split).
 */
export function batchesPerEpoch(points: readonly StepPoint[], config?: RunConfig): number {
  const later = points.find((p) => p.epoch > 1);
  if (later) return (later.step - later.batch) / (later.epoch - 1);
  if (!config) return Math.max(1, ...points.map((p) => p.batch));
  return Math.ceil((config.dataset.trainSize ?? 60_000) / config.training.batchSize);
}

/** Step points as curve points on the epoch axis: x = epoch - 1 + batch / batchesPerEpoch. */
export function stepCurveData(
  points: readonly StepPoint[],
  batches: number,
): { loss: CurveBatch; accuracy: CurveBatch } {
  const x = (p: StepPoint): number => p.epoch - 1 + p.batch / batches;
  return {
    loss: { [STEP_LOSS]: points.map((p) => [x(p), p.loss]) },
    accuracy: { [STEP_ACCURACY]: points.map((p) => [x(p), p.accuracy]) },
  };
}

/** What a run's step / samples / time axis is built from (x-scale.ts). */
export function scaleRun(points: readonly StepPoint[], config: RunConfig, epochs: readonly EpochMetrics[]): ScaleRun {
  const batches = batchesPerEpoch(points, config);
  return { points, batches, epochs, imagesPerEpoch: config.dataset.trainSize ?? 60_000 };
}

type MetricKey = 'trainLoss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy';

function points(epochs: readonly EpochMetrics[], key: MetricKey): CurvePoint[] {
  return epochs.map((m) => [m.epoch, m[key]]);
}

/** Loss and accuracy data of one run's finished epochs. */
export function runCurveData(epochs: readonly EpochMetrics[]): { loss: CurveBatch; accuracy: CurveBatch } {
  return {
    loss: { trainLoss: points(epochs, 'trainLoss'), testLoss: points(epochs, 'testLoss') },
    accuracy: { trainAccuracy: points(epochs, 'trainAccuracy'), testAccuracy: points(epochs, 'testAccuracy') },
  };
}

export interface CompareRun {
  id: string;
  name: string;
  epochs: readonly EpochMetrics[];
}

/** One colour per run; test solid, train dashed. */
export function compareCurves(runs: readonly CompareRun[], kind: 'loss' | 'accuracy') {
  const series: CurveSeries[] = [];
  const data: Record<string, CurvePoint[]> = {};
  const [train, test]: MetricKey[] = kind === 'loss' ? ['trainLoss', 'testLoss'] : ['trainAccuracy', 'testAccuracy'];
  runs.forEach((r, i) => {
    const color = runColor(i);
    series.push({ id: `${r.id}:test`, name: `${r.name} · test`, color });
    series.push({ id: `${r.id}:train`, name: `${r.name} · train`, color, dashed: true, width: 1.25 });
    data[`${r.id}:test`] = points(r.epochs, test);
    data[`${r.id}:train`] = points(r.epochs, train);
  });
  return { series, data };
}
