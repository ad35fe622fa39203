/**
 * Where every neuron lands on screen, in "layout pixels" (CSS pixels at zoom 1, before pan/zoom).
 * Pure functions over typed arrays; no pixi here.
 *
 * planes:  one square panel per layer, side by side; x right, y up; all panels share one x-y scale
 *          so positions are comparable across layers (distance between layers depends on them).
 * stacked: an orthographic (axonometric) view of 3-D points (X, Y, D) = (Z, v, u) where u, v are the
 *          normalised learned x, y (the plane spans [-0.5, 0.5]^2) and Z runs along the stack:
 *          Z = (z - z_0) / meanGap * layerSpacing. Rotate by yaw about the vertical axis, then tilt
 *          by pitch: sx = X cos(yaw) + D sin(yaw), D' = -X sin(yaw) + D cos(yaw),
 *          sy = -(Y cos(pitch) + D' sin(pitch)). The z axis is exaggerated for legibility (true
 *          gaps are ~1/10 of the x-y spread); relative gaps are kept.
 */
import type { EmbeddingGeometry } from '../../../../shared/geometry';
import type { EmbeddingMode } from './types';

export interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface Panel {
  title: string;
  /** closed outline (4 corners, x y interleaved) in layout pixels */
  outline: Float32Array;
  /** anchor of the title: centre-bottom of the text, layout pixels */
  titleX: number;
  titleY: number;
  /** stacked: lowest point of the plane (a title moved below it goes there) */
  bottomY?: number;
  /** the title was moved below the plane to avoid its neighbour's */
  below?: boolean;
}

export interface Layout {
  /** layout position of neuron `start[l] + i` */
  px: Float32Array;
  py: Float32Array;
  /** first global index of each layer (and the total at the end) */
  start: number[];
  panels: Panel[];
  /** planes mode: the output neurons' x, y in every panel, as Fig. 6's labelled x markers */
  markers: Float32Array[];
}

/** Output layers up to this size get markers on the other panels. */
export const MAX_MARKERS = 20;

export interface ViewParams {
  mode: EmbeddingMode;
  yawDeg: number;
  pitchDeg: number;
  layerSpacing: number;
  width: number;
  height: number;
}

const PAD = 14;
const TITLE_H = 20;

export function layerTitle(l: number, layers: number[]): string {
  const L = layers.length;
  if (l === 0) return `input ${layers[l]}`;
  if (l === L - 1) return `output ${layers[l]}`;
  return L === 3 ? `hidden ${layers[l]}` : `hidden ${l} · ${layers[l]}`;
}

/** Bounding box of the shown x, y over all layers, grown from `prev` (sticky while training). */
export function dataExtent(geom: EmbeddingGeometry, prev?: Extent): Extent {
  const e = prev ? { ...prev } : { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (const g of geom.layers) {
    for (let i = 0; i < g.n; i++) {
      const x = g.x[i];
      const y = g.y[i];
      if (x < e.x0) e.x0 = x;
      if (x > e.x1) e.x1 = x;
      if (y < e.y0) e.y0 = y;
      if (y > e.y1) e.y1 = y;
    }
  }
  if (!(e.x1 >= e.x0)) Object.assign(e, { x0: -1, x1: 1 });
  if (!(e.y1 >= e.y0)) Object.assign(e, { y0: -1, y1: 1 });
  return e;
}

/** Centre and span of an extent; the span is square (x and y share a scale) with a 4 % margin. */
function frame(e: Extent): { cx: number; cy: number; span: number } {
  const span = Math.max(e.x1 - e.x0, e.y1 - e.y0) * 1.04 || 1;
  return { cx: (e.x0 + e.x1) / 2, cy: (e.y0 + e.y1) / 2, span };
}

export function computeLayout(
  geom: EmbeddingGeometry,
  layers: number[],
  extent: Extent,
  view: ViewParams,
  prev?: Layout,
): Layout {
  const start = [0];
  for (const g of geom.layers) start.push(start[start.length - 1] + g.n);
  const total = start[start.length - 1];
  const px = prev && prev.px.length === total ? prev.px : new Float32Array(total);
  const py = prev && prev.py.length === total ? prev.py : new Float32Array(total);
  const out: Layout = { px, py, start, panels: [], markers: [] };
  if (view.mode === 'planes') layoutPlanes(geom, layers, extent, view, out);
  else layoutStacked(geom, layers, extent, view, out);
  return out;
}

function layoutPlanes(geom: EmbeddingGeometry, layers: number[], extent: Extent, view: ViewParams, out: Layout): void {
  const L = geom.layers.length;
  const size = Math.max(10, Math.min((view.width - PAD * (L + 1)) / L, view.height - TITLE_H - 2 * PAD));
  const left = (view.width - (L * size + (L - 1) * PAD)) / 2;
  const top = Math.max(PAD + TITLE_H, (view.height - size + TITLE_H) / 2);
  const { cx, cy, span } = frame(extent);
  const s = size / span;
  geom.layers.forEach((g, l) => {
    const ox = left + l * (size + PAD) + size / 2;
    const oy = top + size / 2;
    const base = out.start[l];
    for (let i = 0; i < g.n; i++) {
      out.px[base + i] = ox + (g.x[i] - cx) * s;
      out.py[base + i] = oy - (g.y[i] - cy) * s;
    }
    const h = size / 2;
    const last = geom.layers[L - 1];
    if (last.n <= MAX_MARKERS) {
      const m = new Float32Array(2 * last.n);
      for (let i = 0; i < last.n; i++) {
        m[2 * i] = ox + (last.x[i] - cx) * s;
        m[2 * i + 1] = oy - (last.y[i] - cy) * s;
      }
      out.markers.push(m);
    }
    out.panels.push({
      title: layerTitle(l, layers),
      outline: Float32Array.of(ox - h, oy - h, ox + h, oy - h, ox + h, oy + h, ox - h, oy + h),
      titleX: ox,
      titleY: oy - h - 4,
    });
  });
}

/** Largest stretch of the layer spacing tried when the stack leaves the canvas width unused. */
const MAX_STRETCH = 3;

function layoutStacked(geom: EmbeddingGeometry, layers: number[], extent: Extent, view: ViewParams, out: Layout): void {
  const L = geom.layers.length;
  const { cx, cy, span } = frame(extent);
  const planeZ = geom.layers.map((g) => mean(g.z));
  const gap = L > 1 ? (planeZ[L - 1] - planeZ[0]) / (L - 1) : 1;
  const yaw = (view.yawDeg * Math.PI) / 180;
  const pitch = (view.pitchDeg * Math.PI) / 180;
  const [cyw, syw, cp, sp] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch)];
  // unit-space projection of (u, v, Z); fitted to the canvas below
  const projX = (u: number, v: number, Z: number): number => Z * cyw + u * syw + 0 * v;
  const projY = (u: number, v: number, Z: number): number => -(v * cp + (-Z * syw + u * cyw) * sp);
  const avail = { w: view.width - 2 * PAD, h: view.height - 2 * PAD - TITLE_H };
  const outlinesAt = (zScale: number): Float32Array[] =>
    planeZ.map((z) => {
      const Z = (z - planeZ[0]) * zScale;
      const c = [-0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, 0.5];
      const o = new Float32Array(8);
      for (let q = 0; q < 4; q++) {
        o[2 * q] = projX(c[2 * q], c[2 * q + 1], Z);
        o[2 * q + 1] = projY(c[2 * q], c[2 * q + 1], Z);
      }
      return o;
    });
  // fit: where the canvas is wider than the stack, spread the planes (up to MAX_STRETCH x the
  // chosen spacing) so they use the width and their titles get room; the scale never shrinks
  const base = (Math.abs(gap) > 1e-9 ? 1 / gap : 1) * view.layerSpacing;
  let zScale = base;
  let best = fitScale(outlinesAt(base), avail);
  for (let f = 1.25; f <= MAX_STRETCH + 1e-9 && L > 1; f += 0.25) {
    const s = fitScale(outlinesAt(base * f), avail);
    if (s < best * 0.999) break;
    [zScale, best] = [base * f, s];
  }
  const outlines = outlinesAt(zScale);
  geom.layers.forEach((g, l) => {
    const start = out.start[l];
    for (let i = 0; i < g.n; i++) {
      const u = (g.x[i] - cx) / span;
      const v = (g.y[i] - cy) / span;
      const Z = (g.z[i] - planeZ[0]) * zScale;
      out.px[start + i] = projX(u, v, Z);
      out.py[start + i] = projY(u, v, Z);
    }
  });
  // fit the planes (and any neuron outside them, e.g. relaxed z) into the canvas
  const b = bounds(outlines);
  for (let n = 0; n < out.px.length; n++) grow(b, out.px[n], out.py[n]);
  const s = Math.min(avail.w / (b.x1 - b.x0 || 1), avail.h / (b.y1 - b.y0 || 1));
  const ox = (view.width - (b.x1 - b.x0) * s) / 2 - b.x0 * s;
  const oy = PAD + TITLE_H + (avail.h - (b.y1 - b.y0) * s) / 2 - b.y0 * s;
  for (let n = 0; n < out.px.length; n++) {
    out.px[n] = ox + out.px[n] * s;
    out.py[n] = oy + out.py[n] * s;
  }
  outlines.forEach((o, l) => {
    let top = Infinity;
    let bottom = -Infinity;
    let sumX = 0;
    for (let q = 0; q < 4; q++) {
      o[2 * q] = ox + o[2 * q] * s;
      o[2 * q + 1] = oy + o[2 * q + 1] * s;
      top = Math.min(top, o[2 * q + 1]);
      bottom = Math.max(bottom, o[2 * q + 1]);
      sumX += o[2 * q];
    }
    out.panels.push({
      title: layerTitle(l, layers),
      outline: o,
      titleX: sumX / 4,
      titleY: top - 4,
      bottomY: bottom + 4,
    });
  });
  separateTitles(out.panels);
}

interface Bounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function grow(b: Bounds, x: number, y: number): void {
  b.x0 = Math.min(b.x0, x);
  b.x1 = Math.max(b.x1, x);
  b.y0 = Math.min(b.y0, y);
  b.y1 = Math.max(b.y1, y);
}

function bounds(outlines: Float32Array[]): Bounds {
  const b = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  for (const o of outlines) for (let q = 0; q < 4; q++) grow(b, o[2 * q], o[2 * q + 1]);
  return b;
}

/** Scale that fits the outlines' bounding box into the available area. */
function fitScale(outlines: Float32Array[], avail: { w: number; h: number }): number {
  const b = bounds(outlines);
  return Math.min(avail.w / (b.x1 - b.x0 || 1), avail.h / (b.y1 - b.y0 || 1));
}

/** approximate width of a 13 px title, CSS px per character (the overlay uses system-ui 13 px) */
const TITLE_CHAR_W = 7.5;

/**
 * Plane titles sit centred above their planes; when two neighbours would overlap (planes close
 * together), the later one moves below its plane instead.
 */
function separateTitles(panels: Panel[]): void {
  for (let l = 1; l < panels.length; l++) {
    const [a, b] = [panels[l - 1], panels[l]];
    const half = ((a.title.length + b.title.length) * TITLE_CHAR_W) / 2 / 2 + 6;
    const sameRow = !a.below && Math.abs(a.titleY - b.titleY) < 18;
    if (sameRow && Math.abs(a.titleX - b.titleX) < half && b.bottomY !== undefined) {
      b.titleY = b.bottomY + 16;
      b.below = true;
    }
  }
}

function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}
