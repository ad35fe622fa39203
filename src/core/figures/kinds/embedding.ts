/**
 * The paper's Fig. 6: one x-y scatter per layer of the learned positions, every neuron coloured by
 * what it passes on for the average image of one digit (masked activation, blue-grey-red around 0),
 * the output neurons overlaid as labelled x markers on the input and hidden panels.
 */
import type { EmbeddingGeometry } from '../../../shared/geometry';
import { layoutPlot, niceTicks, type Box, type Plot } from '../axes';
import { CAP_HEIGHT, textWidth } from '../text-metrics';
import { toCsv, type CsvValue } from '../csv';
import { colorBar } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { divergingColor } from '../palettes';
import { figureStyle, type FigureStyle, type StyleOptions } from '../presets';

export interface EmbeddingData {
  runName: string;
  /** the class whose average test image was fed in */
  digit: number;
  /** how many test images were averaged */
  imagesAveraged: number;
  geometry: EmbeddingGeometry;
  /** per layer, per neuron: masked activation (input, hidden) or the output value */
  values: Float32Array[];
  /** colour-bar label of the input/hidden panels (e.g. "masked activation") */
  valueLabel: string;
  /** colour-bar label of the output panel (e.g. "logit") */
  outputLabel: string;
  /** label of each output neuron (class names, default "0".."9") */
  classLabels: string[];
}

/** Layer titles: "Input (784)", "Hidden 1 (2048)", ..., "Output (10)". */
export function layerTitles(layers: readonly number[]): string[] {
  const L = layers.length;
  return layers.map(
    (n, l) => `${l === 0 ? 'Input' : l === L - 1 ? 'Output' : L > 3 ? `Hidden ${l}` : 'Hidden'} (${n})`,
  );
}

/** A colour limit: max |v| rounded up to two significant digits (clean colour-bar labels). */
export function colorLimit(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  if (m === 0) return 1;
  const p = 10 ** (Math.floor(Math.log10(m)) - 1);
  return Math.ceil(m / p - 1e-9) * p;
}

/** Build the figure: panels in a row, each with its own symmetric colour bar. */
export function embeddingFigure(data: EmbeddingData, opts: StyleOptions = {}): FigureOutput {
  const style = figureStyle(opts, 'double');
  const layers = data.geometry.layers;
  const L = layers.length;
  const out = layers[L - 1];
  const pad = style.fontSize * 0.5;
  const gap = style.fontSize * 1.2;
  const pw = (style.widthPt - 2 * pad - (L - 1) * gap) / L;
  const titleH = style.fontSize * 1.4;
  const titles = layerTitles(layers.map((g) => g.n));
  const panels = layers.map((g, l) => {
    const xs = l < L - 1 ? [...g.x, ...out.x] : [...g.x];
    const ys = l < L - 1 ? [...g.y, ...out.y] : [...g.y];
    return squarePlot({ x: pad + l * (pw + gap), y: pad + titleH, width: pw }, xs, ys, style);
  });
  const plotBottom = Math.max(...panels.map((p) => p.boxBottom));
  const children: Mark[] = [];
  let height = 0;
  layers.forEach((g, l) => {
    const p = panels[l];
    const f = p.frame;
    const marks: Mark[] = [
      {
        type: 'text',
        x: f.x + f.width / 2,
        y: pad,
        text: titles[l],
        size: style.fontSize,
        anchor: 'middle',
        baseline: 'top',
      },
    ];
    const limit = colorLimit(data.values[l]);
    marks.push(group(neuronMarks(g, data.values[l], limit, p, style), { name: `neurons layer-${l}`, clip: f }));
    if (l < L - 1 || L === 1)
      marks.push(group(outputMarkers(out, data.classLabels, p, style, false), { name: 'output-markers' }));
    else marks.push(group(outputMarkers(out, data.classLabels, p, style, true), { name: 'output-labels' }));
    // a narrow panel (single column) gives its bar the whole frame width, so the end labels stay apart
    const share = f.width < style.fontSize * 12 ? 1 : 0.8;
    const bar = colorBar({
      x: f.x + (f.width * (1 - share)) / 2,
      y: plotBottom + style.fontSize * 0.2,
      width: f.width * share,
      limit,
      label: l < L - 1 ? data.valueLabel : data.outputLabel,
      style,
    });
    marks.push(group(bar.marks, { name: 'colorbar' }), group(p.axes, { name: 'axes' }));
    height = Math.max(height, plotBottom + style.fontSize * 0.2 + bar.height + pad);
    children.push(group(marks, { name: `panel panel-${l}` }));
  });
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: height,
      title: `Learned positions of ${data.runName}, coloured by the response to the average "${data.classLabels[data.digit] ?? data.digit}"`,
      background: '#FFFFFF',
      children,
    },
    csv: embeddingCsv(data),
  };
}

interface SquarePlot extends Plot {
  boxBottom: number;
}

/**
 * A plot with equal x and y scales (distances on the page are distances in the embedding), its
 * square frame filling the panel width.
 */
function squarePlot(
  at: { x: number; y: number; width: number },
  xs: number[],
  ys: number[],
  style: FigureStyle,
): SquarePlot {
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const half = (Math.max(x1 - x0, y1 - y0, 1e-6) / 2) * 1.08;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const x = niceTicks(cx - half, cx + half, 4, false);
  const y = niceTicks(cy - half, cy + half, 4, false);
  const spec = { x, y, xLabel: 'x', yLabel: 'y', style };
  const trial = layoutPlot({ ...spec, box: { ...at, height: at.width } });
  const height = at.width + trial.frame.width - trial.frame.height;
  const plot = layoutPlot({ ...spec, box: { ...at, height } });
  return { ...plot, boxBottom: at.y + height };
}

function extent(v: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Circles sized to the layer's density, drawn weakest first so strong responses stay on top. */
function neuronMarks(
  g: EmbeddingGeometry['layers'][number],
  values: Float32Array,
  limit: number,
  p: Plot,
  style: FigureStyle,
): Mark[] {
  const r = Math.min(style.fontSize * 0.3, Math.max(0.3, (0.45 * p.frame.width) / Math.sqrt(g.n)));
  const order = Array.from({ length: g.n }, (_, i) => i).sort((a, b) => Math.abs(values[a]) - Math.abs(values[b]));
  return order.map((i) => ({
    type: 'circle',
    cx: p.sx(g.x[i]),
    cy: p.sy(g.y[i]),
    r,
    fill: divergingColor(values[i], limit),
  }));
}

/**
 * Output neurons: x markers with labels on other panels; labels beside the dots on their own.
 * Each label takes the first corner (NE, SE, NW, SW) where it overlaps no marker and no label
 * placed before it, so neighbouring classes stay readable.
 */
function outputMarkers(
  out: EmbeddingGeometry['layers'][number],
  labels: string[],
  p: Plot,
  style: FigureStyle,
  own: boolean,
): Mark[] {
  const r = style.fontSize * 0.28;
  const size = style.smallFontSize;
  const h = size * CAP_HEIGHT;
  const marks: Mark[] = [];
  const pts = Array.from({ length: out.n }, (_, j) => [p.sx(out.x[j]), p.sy(out.y[j])] as const);
  const taken: Box[] = pts.map(([x, y]) => ({ x: x - r, y: y - r, width: 2 * r, height: 2 * r }));
  pts.forEach(([x, y], j) => {
    if (!own) marks.push({ type: 'cross', x, y, r, stroke: '#000000', strokeWidth: style.lineWidth * 0.9 });
    const text = labels[j] ?? String(j);
    const w = textWidth(text, size, true);
    const off = own ? style.fontSize * 0.35 : r * 1.1;
    const corners: Box[] = [
      { x: x + off, y: y - off * 0.4 - h, width: w, height: h },
      { x: x + off, y: y + off * 0.4, width: w, height: h },
      { x: x - off - w, y: y - off * 0.4 - h, width: w, height: h },
      { x: x - off - w, y: y + off * 0.4, width: w, height: h },
      // centred above / below: for long names (class names) near a crowded edge
      { x: x - w / 2, y: y - off - h, width: w, height: h },
      { x: x - w / 2, y: y + off, width: w, height: h },
    ];
    // inside the panel's frame first (a label past the right edge ran into the next panel), then free of other labels
    const inside = corners.filter((c) => within(c, p.frame));
    const candidates = inside.length ? inside : corners;
    // labels keep a small gap from each other, so "2" beside "4" never reads "24"
    const clear = (c: Box): boolean => !taken.some((t, k) => k !== j && overlaps(c, t, size * 0.35));
    const touching = (c: Box): boolean => !taken.some((t, k) => k !== j && overlaps(c, t));
    const box = candidates.find(clear) ?? candidates.find(touching) ?? candidates[0];
    taken.push(box);
    marks.push({ type: 'text', x: box.x, y: box.y + h, text, size, bold: true });
  });
  return marks;
}

function within(a: Box, frame: Box): boolean {
  return (
    a.x >= frame.x &&
    a.x + a.width <= frame.x + frame.width &&
    a.y >= frame.y &&
    a.y + a.height <= frame.y + frame.height
  );
}

function overlaps(a: Box, b: Box, gap = 0): boolean {
  return (
    a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap
  );
}

function embeddingCsv(data: EmbeddingData): string {
  const rows: CsvValue[][] = [];
  data.geometry.layers.forEach((g, l) => {
    for (let i = 0; i < g.n; i++)
      rows.push([l, i, g.x[i], g.y[i], g.z[i], g.mask ? g.mask[i] : null, data.values[l][i]]);
  });
  return toCsv(['layer', 'neuron', 'x', 'y', 'z', 'mask', 'value'], rows);
}
