/** Accuracy against pruning rate (post-training magnitude pruning), optionally with the paper's curves. */
import { layoutPlot, niceTicks, type Box } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { legendRow, type LegendEntry } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical, TOL_GREY, TOL_MUTED } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';

export interface PruningPoint {
  /** fraction of connections removed, 0..1 */
  rate: number;
  testAccuracy: number;
}

export interface PruningData {
  runName: string;
  /** accuracy of the unpruned model on the same test images */
  unprunedAccuracy: number;
  points: PruningPoint[];
  /** number of test images evaluated (shown in the CSV) */
  testImages: number;
}

export interface PruningOptions extends StyleOptions {
  /** overlay the paper's curves (Fig. 3, values read from its plot) */
  paper?: boolean;
}

/** Rates of the paper's Fig. 3. */
export const PAPER_RATES = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95];

/** The paper's accuracies at PAPER_RATES (docs: paper-spec.md, "Pruning"). */
export const PAPER_PRUNING: readonly { label: string; values: number[] }[] = [
  { label: 'paper 3D post', values: [0.803, 0.727, 0.687, 0.605, 0.511, 0.362] },
  { label: 'paper 3D during', values: [0.917, 0.917, 0.919, 0.922, 0.895, 0.826] },
  { label: 'paper B14 post', values: [0.94, 0.909, 0.751, 0.434, 0.168, 0.094] },
  { label: 'paper B2048 post', values: [0.973, 0.97, 0.956, 0.832, 0.55, 0.272] },
];

/** One plot: this run's accuracy per rate (solid, markers), its unpruned accuracy (dashed). */
export function pruningFigure(data: PruningData, opts: PruningOptions = {}): FigureOutput {
  if (data.points.length === 0) throw new Error('pruning: no pruning rates evaluated');
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const w = style.lineWidth;
  const points = [...data.points].sort((a, b) => a.rate - b.rate);
  const refs = opts.paper ? PAPER_PRUNING : [];
  const allAcc = [data.unprunedAccuracy, ...points.map((p) => p.testAccuracy), ...refs.flatMap((r) => r.values)];
  const box: Box = { x: pad, y: pad, width: style.widthPt - 2 * pad, height: (style.widthPt - 2 * pad) * 0.55 };
  const x = niceTicks(0, 100, 5);
  const y = niceTicks(Math.min(...allAcc), Math.max(...allAcc), 5);
  const yt = { ...y, hi: Math.min(y.hi, 1), values: y.values.filter((v) => v <= 1 + 1e-9) };
  const plot = layoutPlot({ box, x, y: yt, xLabel: 'Pruning rate (%)', yLabel: 'Test accuracy', style });
  const f = plot.frame;
  const data_: Mark[] = [];
  const entries: LegendEntry[] = [];
  refs.forEach((r, i) => {
    const color = TOL_MUTED[[1, 6, 7, 8][i] ?? i];
    const pts = PAPER_RATES.flatMap((rate, k) => [plot.sx(rate * 100), plot.sy(r.values[k])]);
    data_.push({ type: 'polyline', points: pts, stroke: color, strokeWidth: w * 0.8, dash: [w, w * 1.5] });
    for (let k = 0; k < pts.length; k += 2)
      data_.push({ type: 'cross', x: pts[k], y: pts[k + 1], r: w * 1.6, stroke: color, strokeWidth: w * 0.7 });
    entries.push({ label: r.label, color, dash: [w, w * 1.5], marker: 'cross' });
  });
  const ref = plot.sy(data.unprunedAccuracy);
  data_.push({
    type: 'line',
    x1: f.x,
    y1: ref,
    x2: f.x + f.width,
    y2: ref,
    stroke: TOL_GREY,
    strokeWidth: w,
    dash: [3 * w, 2 * w],
  });
  const color = categorical(0);
  // the line starts at the unpruned model (rate 0), so the first drop shows
  const pts = [{ rate: 0, testAccuracy: data.unprunedAccuracy }, ...points].flatMap((p) => [
    plot.sx(p.rate * 100),
    plot.sy(p.testAccuracy),
  ]);
  data_.push({ type: 'polyline', points: pts, stroke: color, strokeWidth: w });
  for (let k = 0; k < pts.length; k += 2)
    data_.push({ type: 'circle', cx: pts[k], cy: pts[k + 1], r: w * 1.5, fill: color });
  entries.unshift(
    { label: `${data.runName} (post-training)`, color, marker: 'circle' },
    { label: 'unpruned', color: TOL_GREY, dash: [3 * w, 2 * w] },
  );
  const leg = legendRow(entries, pad, box.y + box.height + style.fontSize * 0.4, style.widthPt - 2 * pad, style);
  const m = w * 2;
  const rows: CsvValue[][] = [
    [data.runName, 0, data.unprunedAccuracy, data.testImages],
    ...points.map((p) => [data.runName, p.rate, p.testAccuracy, data.testImages]),
    ...refs.flatMap((r) => PAPER_RATES.map((rate, k) => [r.label, rate, r.values[k], null])),
  ];
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: box.y + box.height + style.fontSize * 0.4 + leg.height + pad,
      title: `Accuracy vs pruning rate: ${data.runName}`,
      background: '#FFFFFF',
      children: [
        group(plot.axes, { name: 'axes' }),
        group(data_, {
          name: 'data',
          clip: { x: f.x - m, y: f.y - m, width: f.width + 2 * m, height: f.height + 2 * m },
        }),
        group(leg.marks, { name: 'legend' }),
      ],
    },
    csv: toCsv(['series', 'rate', 'test_accuracy', 'test_images'], rows),
  };
}
