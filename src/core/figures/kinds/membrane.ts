/** Membrane potential over time of chosen neurons of a spiking run for one test image, threshold dashed. */
import { layoutPlot, niceTicks, type Ticks } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { legendRow, type LegendEntry } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical, TOL_GREY } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';

export interface MembraneData {
  runName: string;
  testIndex: number;
  label: number;
  timeSteps: number;
  threshold: number;
  traces: { layer: number; index: number; name: string; values: Float32Array }[];
}

export function membraneFigure(data: MembraneData, opts: StyleOptions = {}): FigureOutput {
  if (data.traces.length === 0) throw new Error('membrane: no neurons chosen');
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const w = style.lineWidth;
  const T = data.timeSteps;
  const all = [data.threshold, 0, ...data.traces.flatMap((t) => Array.from(t.values))];
  const box = { x: pad, y: pad, width: style.widthPt - 2 * pad, height: (style.widthPt - 2 * pad) * 0.55 };
  const x: Ticks = { ...niceTicks(0, Math.max(1, T - 1), 5), lo: 0, hi: Math.max(1, T - 1) };
  x.values = x.values.filter((v) => v <= Math.max(1, T - 1));
  const y = niceTicks(Math.min(...all), Math.max(...all), 5);
  const plot = layoutPlot({ box, x, y, xLabel: 'Time step', yLabel: 'Membrane potential U', style });
  const f = plot.frame;
  const marks: Mark[] = [];
  const entries: LegendEntry[] = [];
  const rows: CsvValue[][] = [];
  const th = plot.sy(data.threshold);
  marks.push({
    type: 'line',
    x1: f.x,
    y1: th,
    x2: f.x + f.width,
    y2: th,
    stroke: TOL_GREY,
    strokeWidth: w,
    dash: [3 * w, 2 * w],
  });
  data.traces.forEach((t, i) => {
    const color = categorical(i);
    marks.push({
      type: 'polyline',
      points: Array.from(t.values).flatMap((v, s) => [plot.sx(s), plot.sy(v)]),
      stroke: color,
      strokeWidth: w,
    });
    entries.push({ label: t.name, color });
    t.values.forEach((v, s) => rows.push([t.layer, t.index, s, v]));
  });
  entries.push({ label: `threshold ${data.threshold}`, color: TOL_GREY, dash: [3 * w, 2 * w] });
  const leg = legendRow(entries, pad, box.y + box.height + style.fontSize * 0.4, style.widthPt - 2 * pad, style);
  const m = w * 2;
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: box.y + box.height + style.fontSize * 0.4 + leg.height + pad,
      title: `Membrane potential of ${data.runName}: test image ${data.testIndex} (class ${data.label})`,
      background: '#FFFFFF',
      children: [
        group(plot.axes, { name: 'axes' }),
        group(marks, {
          name: 'data',
          clip: { x: f.x - m, y: f.y - m, width: f.width + 2 * m, height: f.height + 2 * m },
        }),
        group(leg.marks, { name: 'legend' }),
      ],
    },
    csv: toCsv(['layer', 'neuron', 'time_step', 'membrane'], rows),
  };
}
