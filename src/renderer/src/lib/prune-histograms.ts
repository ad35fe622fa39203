/**
 * Histograms of connection distance and weight, all connections against the kept ones, and the
 * per-layer sparsity: plain data objects (what a chart shows, what an exporter would write),
 * binned in one typed-array pass over the ConnectionTable.
 */
import { TOL_BRIGHT } from '../plots/palette';
import { kthSmallest, layerPairName, type ConnectionTable, type KeptCounts } from './prune-geometry';

export interface HistogramSeries {
  id: string;
  name: string;
  color: string;
  counts: number[];
}

export interface HistogramData {
  title: string;
  xName: string;
  yName: string;
  /** bins + 1 edges */
  edges: number[];
  series: HistogramSeries[];
  /** e.g. that the end bins collect outliers */
  note?: string;
}

export interface BarData {
  title: string;
  yName: string;
  categories: string[];
  series: { id: string; name: string; color: string; values: number[] }[];
  /** values are fractions shown as percentages */
  percent: boolean;
}

export const ALL_COLOR = '#BBBBBB';
export const KEPT_COLOR = TOL_BRIGHT[0];

const SAMPLE = 200_000;

/** |w| below which 99.9 % of the connections lie (from a strided sample): the weight histogram's range. */
export function weightRange(table: ConnectionTable): number {
  const n = table.total;
  if (n === 0) return 1;
  const step = Math.max(1, Math.floor(n / SAMPLE));
  const sample = new Float32Array(Math.ceil(n / step));
  let m = 0;
  for (let e = 0; e < n; e += step) sample[m++] = Math.abs(table.weight[e]);
  const q = kthSmallest(sample.subarray(0, m), Math.min(m - 1, Math.floor(m * 0.999)));
  return q > 0 && Number.isFinite(q) ? q : table.maxAbsWeight || 1;
}

function edges(lo: number, hi: number, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
}

/**
 * Distance and weight histograms of all connections and of those kept by per-layer distance
 * cut-offs (d <= cutoffs[l]). Values outside the weight range fall into the end bins.
 */
export function pruneHistograms(
  table: ConnectionTable,
  cutoffs: readonly number[],
  opts: { bins?: number; weightMax?: number; keptLabel?: string } = {},
): { distance: HistogramData; weight: HistogramData } {
  const bins = opts.bins ?? 48;
  const dLo = table.minDistance;
  const dHi = table.maxDistance > dLo ? table.maxDistance : dLo + 1;
  const wMax = opts.weightMax ?? weightRange(table);
  const dAll = new Float64Array(bins);
  const dKept = new Float64Array(bins);
  const wAll = new Float64Array(bins);
  const wKept = new Float64Array(bins);
  const dScale = bins / (dHi - dLo);
  const wScale = bins / (2 * wMax);
  const { dist, weight } = table;
  for (const [l, p] of table.layers.entries()) {
    const cut = cutoffs[l] ?? Infinity;
    for (let e = p.offset, end = p.offset + p.count; e < end; e++) {
      const d = dist[e];
      let bd = Math.floor((d - dLo) * dScale);
      bd = !(bd >= 0) ? 0 : bd >= bins ? bins - 1 : bd; // !(>= 0) also sends NaN to bin 0
      let bw = Math.floor((weight[e] + wMax) * wScale);
      bw = !(bw >= 0) ? 0 : bw >= bins ? bins - 1 : bw;
      dAll[bd]++;
      wAll[bw]++;
      if (d <= cut) {
        dKept[bd]++;
        wKept[bw]++;
      }
    }
  }
  const kept = opts.keptLabel ?? 'kept';
  const series = (a: Float64Array, k: Float64Array): HistogramSeries[] => [
    { id: 'all', name: 'all connections', color: ALL_COLOR, counts: Array.from(a) },
    { id: 'kept', name: kept, color: KEPT_COLOR, counts: Array.from(k) },
  ];
  return {
    distance: {
      title: 'Distance d',
      xName: 'd',
      yName: 'connections',
      edges: edges(dLo, dHi, bins),
      series: series(dAll, dKept),
    },
    weight: {
      title: 'Weight w = mask / d',
      xName: 'w',
      yName: 'connections',
      edges: edges(-wMax, wMax, bins),
      series: series(wAll, wKept),
      note: `range ±${wMax.toPrecision(3)} (99.9 % of |w|); the end bins hold the rest`,
    },
  };
}

/** Per-layer sparsity as bar data (fraction removed per layer pair, and overall). */
export function layerSparsityData(counts: KeptCounts, layerCount: number): BarData {
  const categories = [...counts.perLayer.map((_, l) => layerPairName(l, layerCount)), 'all layers'];
  return {
    title: 'Sparsity per layer',
    yName: 'removed',
    categories,
    percent: true,
    series: [
      {
        id: 'sparsity',
        name: 'removed',
        color: TOL_BRIGHT[1],
        values: [...counts.perLayer.map((p) => p.sparsity), counts.sparsity],
      },
    ],
  };
}
