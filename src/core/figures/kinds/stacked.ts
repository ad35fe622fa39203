/**
 * The paper's Fig. 1: the layers as tilted parallel planes (an oblique view, z up), lines for the
 * strongest connections between consecutive layers, darker = larger |w| = |mask|/d (closer).
 * Two panels: before training (epoch 0) and after, where the epoch-0 positions show faded.
 */
import { strongestConnections, type EdgeList, type EmbeddingGeometry } from '../../../shared/geometry';
import { inkLevel, inkRange, inkScale } from '../../../shared/ink-scale';
import { toCsv, type CsvValue } from '../csv';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical } from '../palettes';
import { figureStyle, type FigureStyle, type StyleOptions } from '../presets';
import { fitText, textWidth, wrapText } from '../text-metrics';
import { formatTick } from '../axes';
import { layerTitles } from './embedding';

export interface StackedData {
  runName: string;
  before: { epoch: number; geometry: EmbeddingGeometry } | null;
  after: { epoch: number; geometry: EmbeddingGeometry };
}

export interface StackedOptions extends StyleOptions {
  /** connections drawn per panel, the strongest (default 3000: a vector file of a few hundred kB) */
  edges?: number;
}

export const DEFAULT_EDGES = 3000;

/** line opacity of the faintest and the darkest drawn connection */
const EDGE_OPACITY = { min: 0.06, max: 0.5 };

/** Oblique view: depth axis at 25 degrees, foreshortened to 0.55, planes 0.55 apart. */
const VIEW = { angle: (25 * Math.PI) / 180, depth: 0.55, layerGap: 0.55 };

/**
 * Maps neurons to a unit space: x and y centred and divided by the larger extent over both panels
 * (u, v in [-0.5, 0.5], so the panels compare directly), sheared obliquely:
 *   X = u + v*depth*cos(a),  Y = -height - v*depth*sin(a).
 * Planes sit evenly, VIEW.layerGap apart, whatever the learned gaps: learned gaps often shrink
 * far below 1, and true heights would stack the planes on top of each other. The true gaps are
 * printed under the panel title instead. A relaxed neuron sits off its plane by (z - layer mean z),
 * in units of the panel's mean gap.
 */
interface View {
  /** unit-space point of plane coordinates (u, v) on layer l's plane */
  planePoint(u: number, v: number, l: number): [number, number];
  /** unit-space point of neuron i of layer l */
  neuron(l: number, i: number): [number, number];
  /** mean z per layer */
  layerZ: number[];
}

function extentXY(geoms: EmbeddingGeometry[]): { cx: number; cy: number; span: number } {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const g of geoms) {
    for (const layer of g.layers) {
      for (let i = 0; i < layer.n; i++)
        [x0, x1, y0, y1] = [
          Math.min(x0, layer.x[i]),
          Math.max(x1, layer.x[i]),
          Math.min(y0, layer.y[i]),
          Math.max(y1, layer.y[i]),
        ];
    }
  }
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, span: Math.max(x1 - x0, y1 - y0, 1e-9) };
}

function makeView(g: EmbeddingGeometry, xy: { cx: number; cy: number; span: number }): View {
  const layerZ = g.layers.map((layer) => layer.z.reduce((s, z) => s + z, 0) / Math.max(1, layer.n));
  const gaps = layerZ.slice(1).map((z, l) => Math.abs(z - layerZ[l]));
  const meanGap = gaps.length && gaps.some((d) => d > 1e-9) ? gaps.reduce((s, d) => s + d, 0) / gaps.length : 1;
  const { angle, depth, layerGap } = VIEW;
  const at = (u: number, v: number, h: number): [number, number] => [
    u + v * depth * Math.cos(angle),
    -h - v * depth * Math.sin(angle),
  ];
  return {
    layerZ,
    planePoint: (u, v, l) => at(u, v, l * layerGap),
    neuron: (l, i) => {
      const layer = g.layers[l];
      const h = l * layerGap + ((layer.z[i] - layerZ[l]) / meanGap) * layerGap;
      return at((layer.x[i] - xy.cx) / xy.span, (layer.y[i] - xy.cy) / xy.span, h);
    },
  };
}

type ToPage = (p: [number, number]) => [number, number];

/** Build the two-panel figure (one panel when there is no epoch-0 snapshot). */
export function stackedFigure(data: StackedData, opts: StackedOptions = {}): FigureOutput {
  const style = figureStyle(opts, 'double');
  const k = Math.max(0, Math.floor(opts.edges ?? DEFAULT_EDGES));
  const snaps = [
    ...(data.before
      ? [
          {
            ...data.before,
            labels: [`Before training (epoch ${data.before.epoch})`, `Before (epoch ${data.before.epoch})`],
          },
        ]
      : []),
    { ...data.after, labels: [`After training (epoch ${data.after.epoch})`, `After (epoch ${data.after.epoch})`] },
  ];
  const xy = extentXY(snaps.map((s) => s.geometry));
  const L = data.after.geometry.layers.length;
  const titles = layerTitles(data.after.geometry.layers.map((g) => g.n));
  const pad = style.fontSize * 0.5;
  const labelW = Math.max(...titles.map((t) => textWidth(t, style.smallFontSize))) + style.fontSize * 0.4;
  const gap = style.fontSize;
  const panelW = (style.widthPt - 2 * pad - labelW - gap * (snaps.length - 1)) / snaps.length;
  // unit-space size of the stack: the sheared unit square, L-1 layer gaps high
  const shearX = VIEW.depth * Math.cos(VIEW.angle) * 0.5;
  const shearY = VIEW.depth * Math.sin(VIEW.angle) * 0.5;
  const scale = panelW / ((1 + 2 * shearX) * 1.04); // planes are drawn 4 % larger than the points
  const stackH = ((L - 1) * VIEW.layerGap + 2 * shearY) * scale;
  const views = snaps.map((snap) => makeView(snap.geometry, xy));
  // learned gaps often shrink far from 1 while the planes are drawn evenly: say what they are
  const gapsDiffer = views.some((v) => v.layerZ.slice(1).some((z, l) => Math.abs(z - v.layerZ[l] - 1) > 1e-6));
  const top = pad + style.fontSize * (gapsDiffer ? 2.6 : 1.5);
  const children: Mark[] = [];
  const rows: CsvValue[][] = [];
  let total = 0;
  const scales: string[] = [];
  snaps.forEach((snap, p) => {
    const left = pad + labelW + p * (panelW + gap);
    const origin: [number, number] = [left + panelW / 2, top + stackH - shearY * scale]; // centre of the lowest plane
    const toPage: ToPage = ([X, Y]) => [origin[0] + X * scale, origin[1] + Y * scale];
    const g = snap.geometry;
    const view = views[p];
    const title = fitText(snap.labels, style.fontSize, panelW);
    const marks: Mark[] = [
      {
        type: 'text',
        x: left + panelW / 2,
        y: pad,
        text: title,
        size: style.fontSize,
        anchor: 'middle',
        baseline: 'top',
      },
    ];
    if (gapsDiffer) {
      const gaps = view.layerZ
        .slice(1)
        .map((z, l) => gapText(z - view.layerZ[l]))
        .join(', ');
      const text = fitText([`layer gaps Δz (mean): ${gaps}`, `Δz: ${gaps}`], style.smallFontSize, panelW);
      marks.push({
        type: 'text',
        x: left + panelW / 2,
        y: pad + style.fontSize * 1.25,
        text,
        size: style.smallFontSize,
        anchor: 'middle',
        baseline: 'top',
        fill: '#555555',
      });
    }
    marks.push(
      group(
        g.layers.map((_, l) => plane(view, l, toPage, style)),
        { name: 'planes' },
      ),
    );
    const edges = strongestConnections(g, { k });
    total = edges.total;
    if (edges.count)
      scales.push(
        `${inkRange(inkScale(edges.w, edges.count))}${snaps.length > 1 ? ` (${p === 0 && data.before ? 'before' : 'after'})` : ''}`,
      );
    marks.push(group(edgeMarks(edges, view, toPage, style), { name: 'edges' }));
    if (p === snaps.length - 1 && data.before) {
      const old = makeView(data.before.geometry, xy);
      marks.push(
        group(neuronMarks(data.before.geometry, old, toPage, style, '#777777'), {
          name: 'neurons-before',
          opacity: 0.35,
        }),
      );
    }
    marks.push(group(neuronMarks(g, view, toPage, style), { name: 'neurons' }));
    if (p === 0) {
      titles.forEach((t, l) => {
        const [, y] = toPage(view.planePoint(-0.5, 0, l));
        marks.push({
          type: 'text',
          x: left - style.fontSize * 0.2,
          y,
          text: t,
          size: style.smallFontSize,
          anchor: 'end',
          baseline: 'middle',
        });
      });
    }
    children.push(group(marks, { name: `panel panel-${p}` }));
    rows.push(...csvRows(snap.epoch, g, edges));
  });
  const noteY = top + stackH + style.fontSize * 0.6;
  const shown = Math.min(k, total).toLocaleString('en-US');
  const note = `Lines: the ${shown} strongest of ${total.toLocaleString('en-US')} connections; darker = larger |w| = |mask|/d, on a log scale from the faintest at |w| ≤ the 5th percentile to the darkest at ≥ the 99th (${scales.join('; ')}).${data.before ? ' Faded: epoch-0 positions.' : ''}`;
  const noteLines = wrapText(note, style.smallFontSize, style.widthPt - 2 * pad);
  noteLines.forEach((line, i) => {
    children.push({
      type: 'text',
      x: style.widthPt / 2,
      y: noteY + i * style.smallFontSize * 1.25,
      text: line,
      size: style.smallFontSize,
      anchor: 'middle',
      baseline: 'top',
      fill: '#444444',
    });
  });
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: noteY + noteLines.length * style.smallFontSize * 1.25 + pad,
      title: `Layers and strongest connections of ${data.runName}`,
      background: '#FFFFFF',
      children,
    },
    csv: toCsv(['epoch', 'item', 'layer', 'i', 'j', 'x', 'y', 'z', 'distance', 'weight'], rows),
  };
}

function gapText(dz: number): string {
  return formatTick(dz, 10 ** (Math.floor(Math.log10(Math.abs(dz) || 1)) - 1));
}

/** A layer's plane: the shared x-y extent as a parallelogram. */
function plane(view: View, l: number, toPage: ToPage, style: FigureStyle): Mark {
  const corners = [
    [-0.5, -0.5],
    [0.5, -0.5],
    [0.5, 0.5],
    [-0.5, 0.5],
  ] as const;
  const points = corners.flatMap(([u, v]) => toPage(view.planePoint(u * 1.04, v * 1.04, l)));
  return {
    type: 'polyline',
    points,
    closed: true,
    fill: '#F4F4F4',
    stroke: '#A0A0A0',
    strokeWidth: style.axisWidth * 0.6,
    opacity: 0.9,
  };
}

/**
 * Connection lines, weakest first (strong ones end on top). Opacity 0.06..0.5 by the shared ink
 * scale (log |w| between the 5th and 99th percentile of the drawn set, src/shared/ink-scale.ts), so
 * every drawn line stays visible after training, when a few very short links would set a linear
 * maximum; rounded to 1/50 so PDFs need few graphics states.
 */
function edgeMarks(e: EdgeList, view: View, toPage: ToPage, style: FigureStyle): Mark[] {
  const order = Array.from({ length: e.count }, (_, q) => q).sort((a, b) => Math.abs(e.w[a]) - Math.abs(e.w[b]));
  const scale = inkScale(e.w, e.count, EDGE_OPACITY.min / EDGE_OPACITY.max);
  return order.map((q): Mark => {
    const [x1, y1] = toPage(view.neuron(e.layer[q], e.i[q]));
    const [x2, y2] = toPage(view.neuron(e.layer[q] + 1, e.j[q]));
    const opacity = Math.round(EDGE_OPACITY.max * inkLevel(scale, e.w[q]) * 50) / 50;
    return { type: 'line', x1, y1, x2, y2, stroke: '#1A1A1A', strokeWidth: style.axisWidth * 0.5, opacity };
  });
}

/** Neuron dots, coloured by layer (or all in `color`), smaller for larger layers. */
function neuronMarks(g: EmbeddingGeometry, view: View, toPage: ToPage, style: FigureStyle, color?: string): Mark[] {
  const marks: Mark[] = [];
  g.layers.forEach((layer, l) => {
    const r = Math.min(style.fontSize * 0.22, Math.max(0.35, (style.fontSize * 3) / Math.sqrt(layer.n) / 4));
    const fill = color ?? categorical(l);
    for (let i = 0; i < layer.n; i++) {
      const [cx, cy] = toPage(view.neuron(l, i));
      marks.push({ type: 'circle', cx, cy, r, fill });
    }
  });
  return marks;
}

function csvRows(epoch: number, g: EmbeddingGeometry, e: EdgeList): CsvValue[][] {
  const rows: CsvValue[][] = [];
  g.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.n; i++)
      rows.push([epoch, 'neuron', l, i, null, layer.x[i], layer.y[i], layer.z[i], null, null]);
  });
  for (let q = 0; q < e.count; q++)
    rows.push([epoch, 'edge', e.layer[q], e.i[q], e.j[q], null, null, null, e.d[q], e.w[q]]);
  return rows;
}
