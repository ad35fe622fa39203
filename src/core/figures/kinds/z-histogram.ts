/** Fig. 4b: histogram of the learned z of every neuron, one colour per layer (relaxed runs). */
import { layoutPlot, niceTicks, type Box } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { legendRow } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';

export interface ZHistogramData {
  runName: string;
  /** per layer: its name and the z of every neuron */
  layers: { name: string; z: Float32Array }[];
}

export interface ZHistogramOptions extends StyleOptions {
  /** number of bins over the whole z range (default 40) */
  bins?: number;
}

/**
 * Step histograms on shared bins, y = fraction of the layer's neurons per bin, so the 10 output
 * neurons are as visible as 2048 hidden ones.
 */
export function zHistogramFigure(data: ZHistogramData, opts: ZHistogramOptions = {}): FigureOutput {
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const all = data.layers.flatMap((l) => [...l.z]).filter(Number.isFinite);
  if (all.length === 0) throw new Error('z-histogram: no z values');
  const x = niceTicks(Math.min(...all), Math.max(...all), 6);
  const nBins = Math.max(1, Math.floor(opts.bins ?? 40));
  const binWidth = (x.hi - x.lo) / nBins;
  const hist = data.layers.map((l) => {
    const counts = new Array<number>(nBins).fill(0);
    for (const z of l.z)
      if (Number.isFinite(z)) counts[Math.min(nBins - 1, Math.max(0, Math.floor((z - x.lo) / binWidth)))]++;
    return counts.map((c) => c / Math.max(1, l.z.length));
  });
  const y = niceTicks(0, Math.max(...hist.flat()), 4);
  const box: Box = { x: pad, y: pad, width: style.widthPt - 2 * pad, height: (style.widthPt - 2 * pad) * 0.5 };
  const plot = layoutPlot({ box, x, y, xLabel: 'Learned z', yLabel: 'Fraction of neurons', style });
  const marks: Mark[] = [];
  hist.forEach((h, l) => {
    const color = categorical(l);
    const pts: number[] = [plot.sx(x.lo), plot.sy(0)];
    h.forEach((v, b) =>
      pts.push(plot.sx(x.lo + b * binWidth), plot.sy(v), plot.sx(x.lo + (b + 1) * binWidth), plot.sy(v)),
    );
    pts.push(plot.sx(x.hi), plot.sy(0));
    marks.push({ type: 'polyline', points: pts, closed: true, fill: color, opacity: 0.35 });
    marks.push({ type: 'polyline', points: pts, stroke: color, strokeWidth: style.lineWidth * 0.8 });
  });
  const entries = data.layers.map((l, i) => ({ label: `${l.name} (${l.z.length})`, color: categorical(i) }));
  const leg = legendRow(entries, pad, box.y + box.height + style.fontSize * 0.4, style.widthPt - 2 * pad, style);
  const rows: CsvValue[][] = [];
  hist.forEach((h, l) =>
    h.forEach((v, b) =>
      rows.push([
        data.layers[l].name,
        x.lo + b * binWidth,
        x.lo + (b + 1) * binWidth,
        Math.round(v * data.layers[l].z.length),
        v,
      ]),
    ),
  );
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: box.y + box.height + style.fontSize * 0.4 + leg.height + pad,
      title: `Learned z per layer: ${data.runName}`,
      background: '#FFFFFF',
      children: [
        group(marks, { name: 'data' }),
        group(plot.axes, { name: 'axes' }),
        group(leg.marks, { name: 'legend' }),
      ],
    },
    csv: toCsv(['layer', 'z_from', 'z_to', 'count', 'fraction'], rows),
  };
}
