import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/core/engine/arena';
import { fillColumnTriples, fillTriples } from '../../src/core/engine/triples';
import { TILE } from '../../src/core/engine/wasm-tiles';
import { Rng } from '../../src/core/util/rng';

const [ROWS, INNER] = [7, 13];

/** A [rows, cols] matrix with about `density` nonzeros (the rest exact zeros, like MNIST's background). */
function sparse(rng: Rng, rows: number, cols: number, density: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => (rng.uniform(0, 1) < density ? rng.uniform(-1, 1) : 0));
}

function operands(width: number, transposed: boolean) {
  const rng = Rng.fromSeed(9);
  const a = sparse(rng, ROWS, INNER, 0.4);
  const b = Float32Array.from({ length: (transposed ? ROWS : INNER) * width }, () => rng.uniform(-1, 1));
  return { a, b };
}

/** 0.25 + A B (or 0.25 + A^T B) on the row kernel or the tiled one, on `threads` threads. */
function product(tiled: boolean, threads: number, transposed: boolean, width: number): Float32Array {
  const { a, b } = operands(width, transposed);
  const arena = new Arena(threads, 0);
  try {
    const srcRows = transposed ? ROWS : INNER;
    const src = arena.floats(b.length);
    src.f.set(b);
    const tiles = arena.floats(b.length);
    if (tiled) arena.toTiles(src, tiles, srcRows, width);
    const dst = arena.floats((transposed ? INNER : ROWS) * width);
    dst.f.fill(0.25); // an initial value (the bias) the sums add to
    const trip = arena.triples(ROWS * INNER);
    const srcBytes = tiled ? TILE * 4 : width * 4;
    const n = transposed
      ? fillColumnTriples(trip, a, ROWS, INNER, width * 4, srcBytes)
      : fillTriples(trip, a, ROWS, INNER, width * 4, srcBytes);
    arena.axpy(trip, n, dst, tiled ? tiles : src, width, tiled ? srcRows * srcBytes : 0);
    return dst.f.slice();
  } finally {
    arena.dispose();
  }
}

/** The same product in float64. */
function reference(transposed: boolean, width: number): number[] {
  const { a, b } = operands(width, transposed);
  const outRows = transposed ? INNER : ROWS;
  const out: number[] = [];
  for (let r = 0; r < outRows; r++)
    for (let j = 0; j < width; j++) {
      let s = 0.25;
      for (let k = 0; k < (transposed ? ROWS : INNER); k++)
        s += transposed ? a[k * INNER + r] * b[k * width + j] : a[r * INNER + k] * b[k * width + j];
      out.push(s);
    }
  return out;
}

describe('the sparse product kernels (row kernel and register-blocked tiles)', () => {
  for (const width of [TILE, 3 * TILE])
    for (const transposed of [false, true])
      it(`agree with float64 and give the same bits on 1, 2 and 3 threads (width ${width}, ${transposed ? 'A^T B' : 'A B'})`, () => {
        const want = reference(transposed, width);
        for (const tiled of [false, true]) {
          const [one, ...others] = [1, 2, 3].map((t) => product(tiled, t, transposed, width));
          one.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(1e-5));
          for (const other of others) expect(Array.from(other)).toEqual(Array.from(one));
        }
      });

  it('the row kernel also takes widths that are not whole tiles (v128 lanes and scalar tails)', () => {
    for (const width of [3, 12, 75]) {
      const want = reference(false, width);
      product(false, 2, false, width).forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(1e-5));
    }
  });
});
