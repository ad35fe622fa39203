import { describe, expect, it } from 'vitest';
import { ema } from '../../src/renderer/src/plots/smoothing';

describe('ema (TensorBoard smoothing)', () => {
  it('is debiased: a constant series stays constant from the first point', () => {
    expect(
      ema(
        [
          [0, 2],
          [1, 2],
          [2, 2],
        ],
        0.9,
      ).map((p) => p[1]),
    ).toEqual([2, 2, 2]);
  });
  it('follows s_t = a s_(t-1) + (1 - a) y_t divided by 1 - a^t, keeps x, skips non-finite values', () => {
    const out = ema(
      [
        [0, 1],
        [1, 3],
        [2, NaN],
        [3, 3],
      ],
      0.5,
    );
    expect(out[0]).toEqual([0, 1]);
    expect(out[1][1]).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 3) / 0.75, 12);
    expect(out[2][1]).toBeNaN();
    expect(out.map((p) => p[0])).toEqual([0, 1, 2, 3]);
    expect(
      ema(
        [
          [0, 1],
          [1, 5],
        ],
        0,
      ),
    ).toEqual([
      [0, 1],
      [1, 5],
    ]);
  });
});
