/** Legends and colour bars, measured so kinds can place them without overlap. */
import { divergingColor } from './palettes';
import type { Mark } from './model';
import type { FigureStyle } from './presets';
import { textWidth } from './text-metrics';

/** One legend row: a line sample (solid or dashed), a marker, or both. */
export interface LegendEntry {
  label: string;
  color: string;
  /** draw a line sample (default true) */
  line?: boolean;
  dash?: number[];
  /** 'ring' = open circle */
  marker?: 'circle' | 'ring' | 'cross';
  opacity?: number;
}

/** Legend marks plus their size, so callers can align them. */
export interface Block {
  marks: Mark[];
  width: number;
  height: number;
}

/** Draw one entry with its sample's left edge at x, centred on cy; returns its width. */
function entry(e: LegendEntry, x: number, cy: number, style: FigureStyle, marks: Mark[]): number {
  const size = style.smallFontSize;
  const sample = size * 2.2;
  const paint = { stroke: e.color, strokeWidth: style.lineWidth, opacity: e.opacity };
  if (e.line !== false) marks.push({ type: 'line', x1: x, y1: cy, x2: x + sample, y2: cy, ...paint, dash: e.dash });
  if (e.marker === 'circle')
    marks.push({ type: 'circle', cx: x + sample / 2, cy, r: size * 0.22, fill: e.color, opacity: e.opacity });
  if (e.marker === 'ring')
    marks.push({
      type: 'circle',
      cx: x + sample / 2,
      cy,
      r: size * 0.22,
      fill: '#FFFFFF',
      stroke: e.color,
      strokeWidth: style.lineWidth * 0.8,
      opacity: e.opacity,
    });
  if (e.marker === 'cross') marks.push({ type: 'cross', x: x + sample / 2, y: cy, r: size * 0.25, ...paint });
  marks.push({ type: 'text', x: x + sample + size * 0.4, y: cy, text: e.label, size, baseline: 'middle' });
  return sample + size * 0.4 + textWidth(e.label, size);
}

/**
 * A vertical legend whose top-left corner is (x, y): sample, gap, label per row, no frame (a frame
 * adds ink journals remove anyway).
 */
export function legend(entries: readonly LegendEntry[], x: number, y: number, style: FigureStyle): Block {
  const rowHeight = style.smallFontSize * 1.3;
  const marks: Mark[] = [];
  let width = 0;
  entries.forEach((e, i) => (width = Math.max(width, entry(e, x, y + rowHeight * (i + 0.5), style, marks))));
  return { marks, width, height: rowHeight * entries.length };
}

/**
 * A legend that flows left to right from (x, y), wrapping at `maxWidth`, rows centred: the
 * layout under a row of plots, where it never covers data.
 */
export function legendRow(
  entries: readonly LegendEntry[],
  x: number,
  y: number,
  maxWidth: number,
  style: FigureStyle,
): Block {
  const rowHeight = style.smallFontSize * 1.3;
  const spacing = style.smallFontSize * 1.5;
  const widths = entries.map((e) => entry(e, 0, 0, style, []));
  const rows: number[][] = [[]];
  let used = 0;
  widths.forEach((w, i) => {
    const row = rows[rows.length - 1];
    if (row.length && used + spacing + w > maxWidth) {
      rows.push([i]);
      used = w;
    } else {
      row.push(i);
      used += (row.length > 1 ? spacing : 0) + w;
    }
  });
  const marks: Mark[] = [];
  rows.forEach((row, r) => {
    const rowWidth = row.reduce((s, i) => s + widths[i], 0) + spacing * (row.length - 1);
    let cx = x + (maxWidth - rowWidth) / 2;
    for (const i of row) cx += entry(entries[i], cx, y + rowHeight * (r + 0.5), style, marks) + spacing;
  });
  return { marks, width: maxWidth, height: rowHeight * (entries.length ? rows.length : 0) };
}

/**
 * A horizontal diverging colour bar [-limit, +limit] of `width` at (x, y), drawn as thin vector
 * strips (no gradients: every PDF viewer and journal pipeline shows strips alike), ticks at
 * -limit, 0, +limit and a label below.
 */
export function colorBar(opts: {
  x: number;
  y: number;
  width: number;
  limit: number;
  label: string;
  style: FigureStyle;
  stops?: readonly string[];
}): Block {
  const { x, y, width, limit, style } = opts;
  const height = style.fontSize * 0.55;
  const strips = 64;
  const marks: Mark[] = [];
  for (let k = 0; k < strips; k++) {
    const t = (k + 0.5) / strips;
    // overlap by a hair so no white seams appear between strips when rasterised
    marks.push({
      type: 'rect',
      x: x + (k * width) / strips,
      y,
      width: width / strips + 0.05,
      height,
      fill: divergingColor((2 * t - 1) * limit, limit, opts.stops),
    });
  }
  marks.push({ type: 'rect', x, y, width, height, stroke: '#000000', strokeWidth: style.axisWidth * 0.6 });
  // two significant digits at most (limits are rounded that way), no trailing zeros: 0.5, 3.6, 12
  const label = (v: number) => String(Number(v.toPrecision(2))).replace('-', '−');
  // the end labels keep at least a small font's width apart: a smaller font when the bar is too narrow
  const ends = (s: number): number => textWidth(label(-limit), s) + textWidth(label(limit), s) + s;
  const size = ends(style.smallFontSize) <= width ? style.smallFontSize : style.smallFontSize * 0.85;
  const top = y + height + style.fontSize * 0.25;
  // a narrow bar (a single-column figure) cannot hold three labels: the 0 keeps its tick but loses
  // its label when it would touch an end label ("−0.38 0 0.38" must not read "−0.380.38")
  const room = (v: number): number => textWidth(label(v), size) + size * 0.6;
  const middleFits = room(-limit) + room(0) / 2 <= width / 2 && room(limit) + room(0) / 2 <= width / 2;
  for (const [v, anchor] of [
    [-limit, 'start'],
    [0, 'middle'],
    [limit, 'end'],
  ] as const) {
    const tx = x + ((v + limit) / (2 * limit || 1)) * width;
    marks.push({
      type: 'line',
      x1: tx,
      y1: y + height,
      x2: tx,
      y2: y + height + style.tickLength * 0.6,
      stroke: '#000000',
      strokeWidth: style.axisWidth * 0.6,
    });
    if (v === 0 && !middleFits) continue;
    marks.push({ type: 'text', x: tx, y: top + style.tickLength * 0.4, text: label(v), size, anchor, baseline: 'top' });
  }
  const labelY = top + style.tickLength * 0.4 + size * 1.2;
  marks.push({ type: 'text', x: x + width / 2, y: labelY, text: opts.label, size, anchor: 'middle', baseline: 'top' });
  return { marks, width, height: labelY + size - y };
}
