/** Curve smoothing, pure (no ECharts), shared by the charts and tested on its own. */

/** [x, y] */
type Point = [number, number];

/**
 * TensorBoard's smoothing: an exponential moving average with weight `alpha` in [0, 1), debiased
 * so the start is not pulled to 0: s_t = alpha s_{t-1} + (1 - alpha) y_t, shown as s_t / (1 - alpha^t).
 */
export function ema(points: readonly Point[], alpha: number): Point[] {
  if (!(alpha > 0)) return points.slice();
  let s = 0;
  let w = 0;
  return points.map(([x, y]) => {
    if (!Number.isFinite(y)) return [x, y];
    s = alpha * s + (1 - alpha) * y;
    w = alpha * w + (1 - alpha);
    return [x, s / w];
  });
}
