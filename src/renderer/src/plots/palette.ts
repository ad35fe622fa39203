/**
 * Paul Tol's "bright" qualitative scheme: distinct for the common colour-vision deficiencies and
 * in greyscale print. https://personal.sron.nl/~pault/
 */
export const TOL_BRIGHT = ['#4477AA', '#EE6677', '#228833', '#CCBB44', '#66CCEE', '#AA3377', '#BBBBBB'] as const;

/** Colour of the i-th run in a comparison (cycles after seven). */
export function runColor(i: number): string {
  return TOL_BRIGHT[i % (TOL_BRIGHT.length - 1)];
}

/** Single-run curves: train, test, and the live running loss. */
export const CURVE_COLORS = { train: '#4477AA', test: '#EE6677', live: '#9aa4b2' } as const;
