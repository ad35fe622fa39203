/**
 * Fills the vertex arrays of the two GPU layers from the geometry, the layout and the edge list.
 * Plain loops over typed arrays: 50,000 lines take ~1-2 ms, so a whole update fits in a frame.
 */
import type { EdgeList, EmbeddingGeometry } from '../../../../shared/geometry';
import { inkLevel, inkScale, type InkScale } from '../../../../shared/ink-scale';
import type { Layout } from './layout';
import { diverging, packHex, type ThemeColors } from './palette';
import type { ColorBy } from './types';

/** Neuron dots: position and colour (sign / value on the diverging ramp; output layer neutral). */
export function writePoints(
  geom: EmbeddingGeometry,
  layout: Layout,
  colorBy: ColorBy,
  activations: Float32Array[] | null,
  colors: ThemeColors,
  pos: Float32Array,
  col: Uint32Array,
): void {
  interleave(layout, pos);
  const neutral = packHex(colors.neutral);
  geom.layers.forEach((g, l) => {
    const base = layout.start[l];
    const values = colorBy === 'activation' ? activations?.[l] : undefined;
    if (values && values.length === g.n) {
      let max = 0;
      for (let i = 0; i < g.n; i++) max = Math.max(max, Math.abs(values[i]));
      const inv = max > 0 ? 1 / max : 0;
      for (let i = 0; i < g.n; i++) col[base + i] = diverging(values[i] * inv);
    } else if (g.mask && colorBy === 'inhibition') {
      for (let i = 0; i < g.n; i++) col[base + i] = diverging(g.mask[i]);
    } else {
      col.fill(neutral, base, base + g.n);
    }
  });
}

function interleave(layout: Layout, pos: Float32Array): void {
  const { px, py } = layout;
  for (let n = 0; n < px.length; n++) {
    pos[2 * n] = px[n];
    pos[2 * n + 1] = py[n];
  }
}

/** up to this many lines are drawn at full `lineAlpha` */
export const FADE_LINES = 1500;

export interface LineEnds {
  /** global neuron index of each drawn line's ends (for hover picking) */
  from: Uint32Array;
  to: Uint32Array;
}

/** the faintest line's alpha byte: 8-bit alpha must not round a drawn line away (issue 14 §1) */
const MIN_LINE_ALPHA = 2;

/**
 * Line segments of the drawn edges: alpha = lineAlpha * fade * inkLevel(w), where inkLevel maps
 * |w| on a log scale between the 5th and 99th percentile of the drawn set (src/shared/ink-scale.ts:
 * darker / more opaque = closer, and every drawn line stays visible however the maximum moves);
 * colour ink or by sign. Returns the scale used (for the legend).
 */
export function writeLines(
  edges: EdgeList,
  layout: Layout,
  style: { lineColor: 'ink' | 'sign'; lineAlpha: number; colors: ThemeColors },
  pos: Float32Array,
  col: Uint32Array,
  ends: LineEnds,
): InkScale {
  const { px, py, start } = layout;
  const scale = inkScale(edges.w, edges.count);
  // overlap grows with the line count: fade each line as (1500 / lines)^0.75 so a dense bundle keeps
  // a gradient instead of saturating (50,000 lines otherwise paint one black slab), while the
  // faintest line keeps a few 8-bit alpha steps (1500 / lines rounded them all to 1-3 of 255)
  const fade = Math.min(1, (FADE_LINES / Math.max(1, edges.count)) ** 0.75);
  const top = style.lineAlpha * fade * 255;
  const ink = packHex(style.colors.ink, 0) >>> 0;
  const exc = packHex(style.colors.excitatory, 0) >>> 0;
  const inh = packHex(style.colors.inhibitory, 0) >>> 0;
  const bySign = style.lineColor === 'sign';
  for (let q = 0; q < edges.count; q++) {
    const l = edges.layer[q];
    const a = start[l] + edges.i[q];
    const b = start[l + 1] + edges.j[q];
    ends.from[q] = a;
    ends.to[q] = b;
    pos[4 * q] = px[a];
    pos[4 * q + 1] = py[a];
    pos[4 * q + 2] = px[b];
    pos[4 * q + 3] = py[b];
    const w = edges.w[q];
    const alpha = Math.min(255, Math.max(MIN_LINE_ALPHA, Math.round(top * inkLevel(scale, w))));
    const rgb = bySign ? (w < 0 ? inh : exc) : ink;
    const c = (rgb | (alpha << 24)) >>> 0;
    col[2 * q] = c;
    col[2 * q + 1] = c;
  }
  return scale;
}
