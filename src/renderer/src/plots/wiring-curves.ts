/** Series and data for the wiring / topography charts of one run or of a comparison (issue 15). */
import type { TopographyEpoch, WiringEpoch } from '../../../shared/analysis';
import type { CurveBatch, CurvePoint, CurveSeries } from './curves';
import { runColor } from './palette';

export interface WiringRun {
  id: string;
  name: string;
  wiring?: readonly WiringEpoch[];
  topography?: readonly TopographyEpoch[];
}

/** A measurement that can be drawn against epoch; `layer` metrics read the first layer pair / hidden layer. */
export interface WiringMetric {
  id: string;
  label: string;
  /** y axis name */
  yName: string;
  /** the value at one epoch, undefined when not measured */
  value: (w: WiringEpoch | undefined, t: TopographyEpoch | undefined) => number | undefined;
  percent?: boolean;
}

export const WIRING_METRICS: readonly WiringMetric[] = [
  { id: 'weighted', label: 'Strength-weighted length Σ|w|·d', yName: 'Σ|w|d', value: (w) => w?.weightedLength },
  { id: 'total', label: 'Total wiring length Σd', yName: 'Σd', value: (w) => w?.totalLength },
  {
    id: 'short',
    label: 'Share of |w| on the shortest 10 %',
    yName: 'share',
    value: (w) => w?.shortShare,
    percent: true,
  },
  { id: 'mean0', label: 'Mean length, input → hidden', yName: 'mean d', value: (w) => w?.layers[0]?.meanLength },
  { id: 'p90', label: '90th percentile length, input → hidden', yName: 'p90 d', value: (w) => w?.layers[0]?.p90Length },
  { id: 'gap0', label: 'Gap, input → hidden', yName: 'gap', value: (w) => w?.layers[0]?.gap },
  {
    id: 'kernel0',
    label: 'Learned kernel parameter, input → hidden',
    yName: 'p / λ / σ',
    value: (w) => w?.layers[0]?.kernelParam,
  },
  {
    id: 'moran',
    label: "Topography: Moran's I (hidden 1)",
    yName: "Moran's I",
    value: (_w, t) => t?.layers[0]?.moranI,
  },
  { id: 'moranZ', label: 'Topography: z vs permutations (hidden 1)', yName: 'z', value: (_w, t) => t?.layers[0]?.z },
];

/** The metrics at least one of the runs has a value for. */
export function availableMetrics(runs: readonly WiringRun[]): WiringMetric[] {
  return WIRING_METRICS.filter((m) => runs.some((r) => series(r, m).length > 0));
}

function series(run: WiringRun, metric: WiringMetric): CurvePoint[] {
  const topo = new Map((run.topography ?? []).map((t) => [t.epoch, t]));
  const epochs = new Set([...(run.wiring ?? []).map((w) => w.epoch), ...topo.keys()]);
  const wiring = new Map((run.wiring ?? []).map((w) => [w.epoch, w]));
  const out: CurvePoint[] = [];
  for (const e of [...epochs].sort((a, b) => a - b)) {
    const v = metric.value(wiring.get(e), topo.get(e));
    if (v !== undefined && Number.isFinite(v)) out.push([e, v]);
  }
  return out;
}

/** One colour per run (the Compare view's colours); Moran's I adds each run's permutation baseline, dashed. */
export function wiringCurves(
  runs: readonly WiringRun[],
  metric: WiringMetric,
): { series: CurveSeries[]; data: CurveBatch } {
  const out: CurveSeries[] = [];
  const data: Record<string, CurvePoint[]> = {};
  runs.forEach((r, i) => {
    const color = runColor(i);
    out.push({ id: r.id, name: r.name, color });
    data[r.id] = series(r, metric);
    if (metric.id === 'moran') {
      const id = `${r.id}:baseline`;
      out.push({ id, name: `${r.name} · permutation baseline`, color, dashed: true, width: 1.25 });
      data[id] = (r.topography ?? [])
        .map((t) => [t.epoch, t.layers[0]?.baselineMean ?? NaN] as CurvePoint)
        .filter((p) => Number.isFinite(p[1]));
    }
  });
  return { series: out, data };
}
