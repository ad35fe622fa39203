/**
 * A tiny axis kit for line plots: nice tick steps, linear scales, left/bottom axes with labels,
 * and a plot area laid out inside a panel so tick labels never leave the page.
 */
import type { Mark } from './model';
import type { FigureStyle } from './presets';
import { CAP_HEIGHT, textWidth } from './text-metrics';

/** Ticks of one axis: the (nice) domain and the tick values inside it. */
export interface Ticks {
  lo: number;
  hi: number;
  step: number;
  values: number[];
}

/** The smallest of 1, 2, 2.5, 5 x 10^k that cuts `range` into at most ~`count` intervals. */
export function niceStep(range: number, count = 5): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
  return nice * pow;
}

/**
 * Nice ticks covering [min, max]. With `extend` (default) the domain grows outward to whole
 * steps, so the axis ends on a labelled tick; without, the domain is [min, max] exactly.
 * A degenerate range (min = max) is widened by one unit (or 10 %) either side.
 */
export function niceTicks(min: number, max: number, count = 5, extend = true): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceStep(max - min, count);
  const lo = extend ? Math.floor(min / step + 1e-9) * step : min;
  const hi = extend ? Math.ceil(max / step - 1e-9) * step : max;
  const values: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) values.push(clean(k * step));
  return { lo: clean(lo), hi: clean(hi), step, values };
}

/** Removes float noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** Tick label: as many decimals as the step needs, a true minus sign (U+2212). */
export function formatTick(v: number, step: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9) + (isHalfStep(step) ? 1 : 0));
  const s = Math.abs(v) < step * 1e-9 ? '0' : v.toFixed(Math.min(10, decimals));
  return s.replace('-', '−');
}

/** 2.5 x 10^k needs one decimal more than its power of ten (0.25, 2.5). */
function isHalfStep(step: number): boolean {
  const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return Math.abs(m - 2.5) < 1e-6;
}

/** A map from data [d0, d1] to page [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A rectangle on the page, in pt. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlotSpec {
  /** the panel the plot (axes and labels included) must fit in */
  box: Box;
  x: Ticks;
  y: Ticks;
  xLabel: string;
  yLabel: string;
  style: FigureStyle;
  /** tick label text (default formatTick) */
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/** A laid-out plot: the data area, its scales and the axis marks. */
export interface Plot {
  frame: Box;
  sx: (v: number) => number;
  sy: (v: number) => number;
  axes: Mark[];
}

/**
 * Lay out a line plot inside `box`: measure the tick labels, reserve room for them and the axis
 * labels, then draw the left and bottom axes with outward ticks.
 */
export function layoutPlot(p: PlotSpec): Plot {
  const s = p.style;
  const xf = p.xFormat ?? ((v: number) => formatTick(v, p.x.step));
  const yf = p.yFormat ?? ((v: number) => formatTick(v, p.y.step));
  const gap = s.fontSize * 0.3;
  const yTickWidth = Math.max(0, ...p.y.values.map((v) => textWidth(yf(v), s.smallFontSize)));
  const left = s.tickLength + gap + yTickWidth + gap + s.fontSize * CAP_HEIGHT + gap;
  const bottom = s.tickLength + gap + s.smallFontSize * CAP_HEIGHT + gap * 2 + s.fontSize * CAP_HEIGHT + gap;
  // half a tick label may stick out above the top tick and right of the last x tick
  const top = s.smallFontSize * 0.5;
  const lastX = p.x.values.length ? textWidth(xf(p.x.values[p.x.values.length - 1]), s.smallFontSize) / 2 : 0;
  const right = Math.max(2, lastX);
  const frame: Box = {
    x: p.box.x + left,
    y: p.box.y + top,
    width: p.box.width - left - right,
    height: p.box.height - top - bottom,
  };
  if (frame.width <= 10 || frame.height <= 10)
    throw new RangeError('figure too small for its labels: choose a larger width or a smaller font');
  const sx = linearScale(p.x.lo, p.x.hi, frame.x, frame.x + frame.width);
  const sy = linearScale(p.y.lo, p.y.hi, frame.y + frame.height, frame.y);
  return { frame, sx, sy, axes: drawAxes({ ...p, frame, sx, sy, xf, yf, gap }) };
}

interface AxesDraw extends PlotSpec {
  frame: Box;
  sx: (v: number) => number;
  sy: (v: number) => number;
  xf: (v: number) => string;
  yf: (v: number) => string;
  gap: number;
}

function drawAxes(a: AxesDraw): Mark[] {
  const s = a.style;
  const { frame: f, gap } = a;
  const bottom = f.y + f.height;
  const axis = { stroke: '#000000', strokeWidth: s.axisWidth };
  const marks: Mark[] = [
    { type: 'line', x1: f.x, y1: bottom, x2: f.x + f.width, y2: bottom, ...axis },
    { type: 'line', x1: f.x, y1: f.y, x2: f.x, y2: bottom, ...axis },
  ];
  for (const v of a.x.values) {
    const x = a.sx(v);
    marks.push({ type: 'line', x1: x, y1: bottom, x2: x, y2: bottom + s.tickLength, ...axis });
    marks.push({
      type: 'text',
      x,
      y: bottom + s.tickLength + gap,
      text: a.xf(v),
      size: s.smallFontSize,
      anchor: 'middle',
      baseline: 'top',
    });
  }
  for (const v of a.y.values) {
    const y = a.sy(v);
    marks.push({ type: 'line', x1: f.x - s.tickLength, y1: y, x2: f.x, y2: y, ...axis });
    marks.push({
      type: 'text',
      x: f.x - s.tickLength - gap,
      y,
      text: a.yf(v),
      size: s.smallFontSize,
      anchor: 'end',
      baseline: 'middle',
    });
  }
  const xLabelY = bottom + s.tickLength + gap + s.smallFontSize * CAP_HEIGHT + gap * 2;
  marks.push({
    type: 'text',
    x: f.x + f.width / 2,
    y: xLabelY,
    text: a.xLabel,
    size: s.fontSize,
    anchor: 'middle',
    baseline: 'top',
  });
  const yLabelX = a.box.x + gap;
  marks.push({
    type: 'text',
    x: yLabelX,
    y: f.y + f.height / 2,
    text: a.yLabel,
    size: s.fontSize,
    anchor: 'middle',
    baseline: 'top',
    rotate: -90,
  });
  return marks;
}
