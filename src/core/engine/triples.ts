import type { Triples } from './arena';

/**
 * The kernel's work list for M [rows, cols]: one triple per nonzero M[b, i] with
 * (dst, src) = (b * rowBytes, i * colBytes), or swapped (i * rowBytes ... see `swap`) for products with M^T.
 */
export function fillTriples(
  t: Triples,
  m: Float32Array,
  rows: number,
  cols: number,
  rowBytes: number,
  colBytes: number,
  swap = false,
): number {
  const ti = t.i;
  const tv = t.v;
  let k = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * cols;
    const rowOff = b * rowBytes;
    for (let i = 0; i < cols; i++) {
      const v = m[base + i];
      if (v === 0) continue;
      ti[k] = swap ? i * rowBytes : rowOff;
      ti[k + 1] = swap ? rowOff : i * colBytes;
      tv[k + 2] = v;
      k += 3;
    }
  }
  return k / 3;
}

/**
 * The work list of M^T [cols, rows] times a [rows, width] matrix, grouped by destination row (the tiled
 * kernel's fast case): one triple (i * dB, b * sB, M[b, i]) per nonzero, i outer, b inner.
 */
export function fillColumnTriples(t: Triples, m: Float32Array, rows: number, cols: number, dB: number, sB: number) {
  const ti = t.i;
  const tv = t.v;
  let k = 0;
  for (let i = 0; i < cols; i++) {
    for (let b = 0, q = i; b < rows; b++, q += cols) {
      const v = m[q];
      if (v === 0) continue;
      ti[k] = i * dB;
      ti[k + 1] = b * sB;
      tv[k + 2] = v;
      k += 3;
    }
  }
  return k / 3;
}
