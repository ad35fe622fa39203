/** Magnitude pruning of one run at a rate: per-layer sparsity bars, distance and |w'| histograms (all vs kept). */
import { layoutPlot, niceTicks, type Box, type Ticks } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { legendRow } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical, TOL_GREY } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';

export interface Histogram {
  /** bin edges, bins + 1 */
  edges: number[];
  all: number[];
  kept: number[];
}

export interface HistogramsData {
  runName: string;
  rate: number;
  scope: 'global' | 'per-layer';
  /** per layer pair, e.g. "0→1", with the fraction of connections removed */
  layers: { name: string; sparsity: number }[];
  /** null for dense runs (no distances) */
  distance: Histogram | null;
  weight: Histogram;
}

/** Equal-width bins over [lo, hi] of all values, and of the kept ones. */
export function binAllKept(values: Float32Array[], keep: Float32Array[], bins = 30): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    for (const x of v) {
      if (Number.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi <= lo) hi = lo + 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const all = new Array<number>(bins).fill(0);
  const kept = new Array<number>(bins).fill(0);
  values.forEach((v, l) => {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) continue;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(((v[i] - lo) / (hi - lo)) * bins)));
      all[b]++;
      if (keep[l][i] > 0) kept[b]++;
    }
  });
  return { edges, all, kept };
}

export function histogramsFigure(data: HistogramsData, opts: StyleOptions = {}): FigureOutput {
  const style = figureStyle(opts, 'double');
  const pad = style.fontSize * 0.5;
  const panels = data.distance ? 3 : 2;
  const gap = style.fontSize;
  const pw = (style.widthPt - 2 * pad - gap * (panels - 1)) / panels;
  const ph = Math.max(pw * 0.75, style.fontSize * 8);
  const children: Mark[] = [];
  const rows: CsvValue[][] = [];
  const allColor = TOL_GREY;
  const keptColor = categorical(0);
  const pct = `${+(data.rate * 100).toFixed(1)}%`;
  // sparsity bars
  const box0: Box = { x: pad, y: pad, width: pw, height: ph };
  const n = data.layers.length;
  const x0: Ticks = { lo: -0.5, hi: n - 0.5, step: 1, values: data.layers.map((_, i) => i) };
  const y0 = niceTicks(0, 100, 5);
  const p0 = layoutPlot({
    box: box0,
    x: x0,
    y: y0,
    xLabel: 'Layer',
    yLabel: 'Sparsity (%)',
    style,
    xFormat: (v) => data.layers[v]?.name ?? String(v),
  });
  const bars: Mark[] = data.layers.map((l, i) => {
    const bw = p0.sx(0.35) - p0.sx(-0.35);
    const top = p0.sy(l.sparsity * 100);
    rows.push(['sparsity', l.name, null, null, l.sparsity, null]);
    return { type: 'rect', x: p0.sx(i) - bw / 2, y: top, width: bw, height: p0.sy(0) - top, fill: keptColor };
  });
  children.push(group([group(bars, { name: 'data' }), ...p0.axes], { name: 'panel panel-sparsity' }));
  const hist = (h: Histogram, i: number, xLabel: string, name: string) => {
    const box: Box = { x: pad + i * (pw + gap), y: pad, width: pw, height: ph };
    const lo = h.edges[0];
    const hi = h.edges[h.edges.length - 1];
    const x = { ...niceTicks(lo, hi, 4), lo, hi };
    x.values = x.values.filter((v) => v >= lo - 1e-12 && v <= hi + 1e-12);
    const y = niceTicks(0, Math.max(1, ...h.all), 4);
    const p = layoutPlot({ box, x, y: { ...y, lo: 0 }, xLabel, yLabel: 'Connections', style });
    const marks: Mark[] = [];
    h.all.forEach((c, b) => {
      const x1 = p.sx(h.edges[b]);
      const x2 = p.sx(h.edges[b + 1]);
      marks.push({ type: 'rect', x: x1, y: p.sy(c), width: x2 - x1, height: p.sy(0) - p.sy(c), fill: allColor });
      marks.push({
        type: 'rect',
        x: x1,
        y: p.sy(h.kept[b]),
        width: x2 - x1,
        height: p.sy(0) - p.sy(h.kept[b]),
        fill: keptColor,
      });
      rows.push([name, null, h.edges[b], h.edges[b + 1], h.all[b], h.kept[b]]);
    });
    children.push(group([group(marks, { name: 'data' }), ...p.axes], { name: `panel panel-${name}` }));
  };
  let k = 1;
  if (data.distance) hist(data.distance, k++, 'Distance d', 'distance');
  hist(data.weight, k, "|w'|", 'weight');
  const leg = legendRow(
    [
      { label: 'all', color: allColor, line: false, marker: 'circle' },
      { label: `kept at ${pct} (${data.scope})`, color: keptColor, line: false, marker: 'circle' },
    ],
    pad,
    pad + ph + style.fontSize * 0.4,
    style.widthPt - 2 * pad,
    style,
  );
  children.push(group(leg.marks, { name: 'legend' }));
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: pad + ph + style.fontSize * 0.4 + leg.height + pad,
      title: `Pruning histograms of ${data.runName} at ${pct} (${data.scope})`,
      background: '#FFFFFF',
      children,
    },
    csv: toCsv(['series', 'layer', 'bin_lo', 'bin_hi', 'all', 'kept'], rows),
  };
}
