/** Series layouts and data for the loss / accuracy charts of one run or of a comparison. */
import type { EpochMetrics } from '../../../shared/run-config';
import type { CurveBatch, CurvePoint, CurveSeries } from './curves';
import { CURVE_COLORS, runColor } from './palette';

export const LIVE_LOSS = 'live';

export const LOSS_SERIES: readonly CurveSeries[] = [
  { id: LIVE_LOSS, name: 'train (running, this epoch)', color: CURVE_COLORS.live, width: 1.25, symbols: false, background: true },
  { id: 'trainLoss', name: 'train', color: CURVE_COLORS.train },
  { id: 'testLoss', name: 'test', color: CURVE_COLORS.test },
];

export const ACCURACY_SERIES: readonly CurveSeries[] = [
  { id: 'trainAccuracy', name: 'train', color: CURVE_COLORS.train },
  { id: 'testAccuracy', name: 'test', color: CURVE_COLORS.test },
];

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
