/**
 * CPU line rasteriser for software WebGL (SwiftShader, llvmpipe). There, GL lines cost ~30 ns per
 * pixel (50,000 lines across the canvas: ~0.5 s per frame), while this loop costs ~5 ns, runs in
 * a worker, and only when the lines change; the GPU then draws one textured quad per frame.
 *
 * Lines are Xiaolin Wu anti-aliased spans accumulated as optical density per colour channel:
 * D_c(p) = sum over lines of colour c of alpha_line * coverage(p). Same-colour "over" blending of
 * many faint lines is alpha = 1 - prod(1 - a_i) ~ 1 - exp(-sum a_i), so the result matches the GPU
 * path without sorting; two colours mix by their density share. Output is premultiplied RGBA.
 * Pure (no DOM), so it runs in a worker or, as a fallback, on the main thread.
 */

export interface RasterJob {
  id: number;
  /** raster size in pixels */
  width: number;
  height: number;
  /** raster pixels per layout pixel at zoom 1: raster = (layout * zoom + pan) * scale */
  scale: number;
  zoom: number;
  panX: number;
  panY: number;
  /** segment q runs (x0, y0) -> (x1, y1) in layout pixels at [4q .. 4q+3] */
  segments: Float32Array;
  /** packed little-endian RGBA per vertex (two per segment; see palette.ts); alpha = opacity */
  colors: Uint32Array;
  count: number;
}

export interface RasterScratch {
  d0?: Float32Array;
  d1?: Float32Array;
}

const LUT_SIZE = 4096;
const LUT_MAX = 8; // density past which a pixel is opaque (1 - e^-8)
const ALPHA_LUT = Float32Array.from({ length: LUT_SIZE }, (_, q) => 1 - Math.exp(-(q / (LUT_SIZE - 1)) * LUT_MAX));

/** Rasterises the job; returns premultiplied RGBA bytes (width * height * 4). */
export function rasterizeLines(job: RasterJob, scratch: RasterScratch = {}): Uint8Array {
  const { width: W, height: H } = job;
  const n = W * H;
  const d0 = (scratch.d0 = scratch.d0?.length === n ? scratch.d0.fill(0) : new Float32Array(n));
  let d1: Float32Array | null = null;
  const rgb0 = job.count > 0 ? job.colors[0] & 0xffffff : 0;
  let rgb1 = rgb0;
  const s = job.scale * job.zoom;
  const ox = job.panX * job.scale;
  const oy = job.panY * job.scale;
  for (let q = 0; q < job.count; q++) {
    const c = job.colors[2 * q];
    const a = (c >>> 24) / 255;
    if (a === 0) continue;
    let target = d0;
    if ((c & 0xffffff) !== rgb0) {
      // a second colour (sign mode): its own density buffer, allocated on first use
      d1 ??= scratch.d1 = scratch.d1?.length === n ? scratch.d1.fill(0) : new Float32Array(n);
      rgb1 = c & 0xffffff;
      target = d1;
    }
    const seg = job.segments;
    wuLine(
      target,
      W,
      H,
      seg[4 * q] * s + ox,
      seg[4 * q + 1] * s + oy,
      seg[4 * q + 2] * s + ox,
      seg[4 * q + 3] * s + oy,
      a,
    );
  }
  return compose(d0, d1, rgb0, rgb1, n);
}

/** One anti-aliased line: each step along the major axis splits `a` between two pixels. */
function wuLine(
  d: Float32Array,
  W: number,
  H: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  a: number,
): void {
  if (Math.abs(y1 - y0) > Math.abs(x1 - x0)) {
    // steep: iterate rows
    if (y0 > y1) {
      let t = x0;
      x0 = x1;
      x1 = t;
      t = y0;
      y0 = y1;
      y1 = t;
    }
    const g = (x1 - x0) / (y1 - y0);
    const ys = Math.max(0, Math.ceil(y0));
    const ye = Math.min(H - 1, Math.floor(y1));
    let x = x0 + g * (ys - y0);
    for (let y = ys; y <= ye; y++, x += g) {
      const xi = Math.floor(x);
      if (xi < 0 || xi >= W - 1) continue;
      const f = x - xi;
      const p = y * W + xi;
      d[p] += a * (1 - f);
      d[p + 1] += a * f;
    }
    return;
  }
  if (x0 > x1) {
    let t = x0;
    x0 = x1;
    x1 = t;
    t = y0;
    y0 = y1;
    y1 = t;
  }
  const g = x1 === x0 ? 0 : (y1 - y0) / (x1 - x0);
  const xs = Math.max(0, Math.ceil(x0));
  const xe = Math.min(W - 1, Math.floor(x1));
  let y = y0 + g * (xs - x0);
  for (let x = xs; x <= xe; x++, y += g) {
    const yi = Math.floor(y);
    if (yi < 0 || yi >= H - 1) continue;
    const f = y - yi;
    const p = yi * W + x;
    d[p] += a * (1 - f);
    d[p + W] += a * f;
  }
}

/** Densities -> premultiplied RGBA bytes. */
function compose(d0: Float32Array, d1: Float32Array | null, rgb0: number, rgb1: number, n: number): Uint8Array {
  const out = new Uint8Array(n * 4);
  const [r0, g0, b0] = [rgb0 & 255, (rgb0 >> 8) & 255, (rgb0 >> 16) & 255];
  const [r1, g1, b1] = [rgb1 & 255, (rgb1 >> 8) & 255, (rgb1 >> 16) & 255];
  const k = (LUT_SIZE - 1) / LUT_MAX;
  for (let p = 0; p < n; p++) {
    const e0 = d0[p];
    const e1 = d1 ? d1[p] : 0;
    const sum = e0 + e1;
    if (sum === 0) continue;
    const alpha = ALPHA_LUT[Math.min(LUT_SIZE - 1, (sum * k) | 0)];
    const w1 = e1 / sum;
    const w0 = 1 - w1;
    const o = 4 * p;
    out[o] = (r0 * w0 + r1 * w1) * alpha;
    out[o + 1] = (g0 * w0 + g1 * w1) * alpha;
    out[o + 2] = (b0 * w0 + b1 * w1) * alpha;
    out[o + 3] = alpha * 255;
  }
  return out;
}
