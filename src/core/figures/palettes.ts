/**
 * Colour-blind-safe palettes by Paul Tol (https://personal.sron.nl/~pault/): qualitative 'bright'
 * and 'muted' for categories (runs, layers), 'BuRd' for signed values.
 */

/** Tol bright: blue, red, green, yellow, cyan, purple (grey is for "other"). */
export const TOL_BRIGHT = ['#4477AA', '#EE6677', '#228833', '#CCBB44', '#66CCEE', '#AA3377'] as const;

/** Tol muted: nine distinguishable, less saturated colours for many categories. */
export const TOL_MUTED = [
  '#CC6677',
  '#332288',
  '#DDCC77',
  '#117733',
  '#88CCEE',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
] as const;

/** Tol's neutral grey for references and "other". */
export const TOL_GREY = '#BBBBBB';

/** Tol BuRd, nine stops from blue (negative) through near-white to red (positive). */
export const TOL_BURD = [
  '#2166AC',
  '#4393C3',
  '#92C5DE',
  '#D1E5F0',
  '#F7F7F7',
  '#FDDBC7',
  '#F4A582',
  '#D6604D',
  '#B2182B',
] as const;

/**
 * BuRd's three outer stops per side around Tol's grey (the paper's blue-grey-red). Zero must stay visible on a white page:
 * most input pixels of an average digit are 0, and in plain BuRd they would vanish.
 */
export const BLUE_GREY_RED = ['#2166AC', '#4393C3', '#92C5DE', TOL_GREY, '#F4A582', '#D6604D', '#B2182B'] as const;

/** Colour `i` of a qualitative palette, cycling. */
export function categorical(i: number, palette: readonly string[] = TOL_BRIGHT): string {
  return palette[((i % palette.length) + palette.length) % palette.length];
}

function parseHex(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16)) as [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase()}`;
}

/** Colour at t in [0, 1] along evenly spaced stops (linear in sRGB between neighbours). */
export function sampleStops(stops: readonly string[], t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const a = parseHex(stops[i]);
  const b = parseHex(stops[i + 1]);
  const f = u - i;
  return toHex(a.map((v, k) => v + (b[k] - v) * f));
}

/**
 * A diverging map centred at 0: value v maps to t = 0.5 + v / (2 * limit), so -limit is the
 * first stop, 0 the centre and +limit the last. Values beyond the limit saturate.
 */
export function divergingColor(value: number, limit: number, stops: readonly string[] = BLUE_GREY_RED): string {
  const t = limit > 0 ? 0.5 + value / (2 * limit) : 0.5;
  return sampleStops(stops, t);
}
