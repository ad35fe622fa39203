/** Spike raster of a spiking run for one test image: a tick per spike, neuron against time step. */
import { layoutPlot, niceTicks, type Ticks } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';

export interface RasterLayer {
  /** e.g. "Hidden (2048)" */
  name: string;
  n: number;
  /** S[t * n + i] in {0, 1}, t = 0..T-1 */
  spikes: Float32Array;
  /** tick labels per neuron (output classes); absent: neuron indices */
  labels?: string[];
}

export interface RasterData {
  runName: string;
  /** the class of the image shown */
  digit: number;
  /** index of the image in the test set */
  imageIndex: number;
  timeSteps: number;
  layers: RasterLayer[];
}

export interface RasterOptions extends StyleOptions {
  /** neurons shown per layer, the most active (default 60) */
  maxNeurons?: number;
}

/** Neurons to show: the `max` most active, ordered by their first spike (structure reads top-down). */
export function pickNeurons(layer: RasterLayer, T: number, max: number): number[] {
  const count = new Float64Array(layer.n);
  const first = new Float64Array(layer.n).fill(Infinity);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < layer.n; i++) {
      if (layer.spikes[t * layer.n + i] > 0) {
        count[i]++;
        if (first[i] === Infinity) first[i] = t;
      }
    }
  }
  const all = Array.from({ length: layer.n }, (_, i) => i);
  if (layer.labels || layer.n <= max) return all; // small layers (the output) keep their natural order
  return all
    .sort((a, b) => count[b] - count[a] || a - b)
    .slice(0, max)
    .sort((a, b) => first[a] - first[b] || a - b);
}

/** One panel per spiking layer, stacked, sharing the time axis. */
export function rasterFigure(data: RasterData, opts: RasterOptions = {}): FigureOutput {
  const style = figureStyle(opts, 'single');
  const max = Math.max(1, Math.floor(opts.maxNeurons ?? 60));
  const T = data.timeSteps;
  const pad = style.fontSize * 0.5;
  const innerW = style.widthPt - 2 * pad;
  const x: Ticks = { ...niceTicks(0, T, 5), lo: -0.5, hi: T - 0.5 };
  x.values = x.values.filter((v) => v <= T - 1);
  const children: Mark[] = [];
  const rows: CsvValue[][] = [];
  let y = pad;
  data.layers.forEach((layer, p) => {
    const shown = pickNeurons(layer, T, max);
    const rowsShown = shown.length;
    // rows run top-down (row 0 = first spiker or class 0 on top): value v sits at row rowsShown-1-v
    const rowOf = (v: number) => rowsShown - 1 - v;
    const ranks = [1, ...niceTicks(1, rowsShown, 4).values.filter((r) => r > 1 && r <= rowsShown)];
    const yt: Ticks = {
      lo: -0.5,
      hi: rowsShown - 0.5,
      step: 1,
      values: layer.labels ? shown.map((_, r) => r) : ranks.map((r) => rowsShown - r),
    };
    const yLabel = rowsShown < layer.n ? `${layer.name}: ${rowsShown} most active` : layer.name;
    const yFormat = (v: number) => (layer.labels ? (layer.labels[shown[rowOf(v)]] ?? String(v)) : String(rowOf(v) + 1));
    // labelled rows need a text line each; unlabelled ones ~2 pt, within [5 lines, half the width]
    const frameH = layer.labels
      ? rowsShown * style.smallFontSize * 1.2
      : Math.min(innerW * 0.5, Math.max(style.fontSize * 5, rowsShown * 2.2));
    const spec = { x, y: yt, xLabel: 'Time step', yLabel, style, yFormat };
    const trial = layoutPlot({ ...spec, box: { x: pad, y, width: innerW, height: frameH * 2 } });
    const height = frameH * 2 - trial.frame.height + frameH;
    const plot = layoutPlot({ ...spec, box: { x: pad, y, width: innerW, height } });
    const rowY = (r: number) => plot.sy(rowOf(r));
    const tickH = Math.min(style.fontSize * 0.5, (plot.frame.height / rowsShown) * 0.4);
    const ticks: Mark[] = [];
    shown.forEach((i, r) => {
      for (let t = 0; t < T; t++) {
        if (!(layer.spikes[t * layer.n + i] > 0)) continue;
        const cx = plot.sx(t);
        ticks.push({
          type: 'line',
          x1: cx,
          y1: rowY(r) - tickH,
          x2: cx,
          y2: rowY(r) + tickH,
          stroke: categorical(p + 1),
          strokeWidth: style.lineWidth,
        });
        rows.push([layer.name, i, t]);
      }
    });
    children.push(group([group(ticks, { name: 'spikes' }), ...plot.axes], { name: `panel panel-${p}` }));
    y += height + style.fontSize * 0.5;
  });
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: y - style.fontSize * 0.5 + pad,
      title: `Spike raster of ${data.runName}: test image ${data.imageIndex} (class ${data.digit})`,
      background: '#FFFFFF',
      children,
    },
    csv: toCsv(['layer', 'neuron', 'time_step'], rows),
  };
}
