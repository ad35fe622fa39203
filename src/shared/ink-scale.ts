/**
 * Strength-to-ink mapping of drawn connections, shared by the app's embedding and the exported
 * figures. A linear |w| / max|w| scale fails after training: a few very short links set the maximum
 * and every other line rounds to invisible. Instead the scale is logarithmic between two quantiles
 * of |w| over the drawn set, with a floor, so every drawn line (the strongest k) stays visible:
 *
 *   t(w)     = clamp((ln|w| - ln lo) / (ln hi - ln lo), 0, 1),  lo = q_0.05(|w|), hi = q_0.99(|w|)
 *   level(w) = floor + (1 - floor) * t(w)                         in [floor, 1]
 *
 * Quantiles come from an evenly strided sample of at most 4,096 values (exact for smaller sets).
 */

export interface InkScale {
  /** |w| at and below which a line gets the faintest ink (the 5th percentile of the drawn set) */
  lo: number;
  /** |w| at and above which a line gets full ink (the 99th percentile) */
  hi: number;
  /** the faintest ink level, a fraction of full ink */
  floor: number;
}

export const INK_LOW_QUANTILE = 0.05;
export const INK_HIGH_QUANTILE = 0.99;
export const INK_FLOOR = 0.25;
const SAMPLE = 4096;

/** The ink scale of `count` weights in `w` (only |w| matters). */
export function inkScale(w: ArrayLike<number>, count = w.length, floor = INK_FLOOR): InkScale {
  const n = Math.min(count, w.length);
  if (n === 0) return { lo: 0, hi: 0, floor };
  const m = Math.min(n, SAMPLE);
  const sample = new Float64Array(m);
  for (let q = 0; q < m; q++) sample[q] = Math.abs(w[Math.floor((q * n) / m)]);
  sample.sort();
  const at = (p: number): number => sample[Math.min(m - 1, Math.max(0, Math.round(p * (m - 1))))];
  return { lo: at(INK_LOW_QUANTILE), hi: at(INK_HIGH_QUANTILE), floor };
}

/** Ink level of one weight in [floor, 1] (see the module comment). */
export function inkLevel(s: InkScale, w: number): number {
  const a = Math.abs(w);
  if (!(s.hi > s.lo) || !(s.lo > 0)) return a > 0 || s.hi === 0 ? 1 : s.floor;
  const t = (Math.log(Math.max(a, 1e-30)) - Math.log(s.lo)) / (Math.log(s.hi) - Math.log(s.lo));
  return s.floor + (1 - s.floor) * Math.min(1, Math.max(0, t));
}

/** "0.10–0.47": the |w| range a scale maps from faintest to darkest ink. */
export function inkRange(s: InkScale): string {
  const f = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(2));
  return `${f(s.lo)}–${f(s.hi)}`;
}

/** A one-line legend of the mapping (tooltips). */
export function inkLegend(s: InkScale): string {
  return `line ink by |w| on a log scale: faintest at |w| ≤ ${inkRange(s).split('–')[0]} (5th percentile of the drawn lines), darkest at ≥ ${inkRange(s).split('–')[1]} (99th); every drawn line stays visible`;
}
