/**
 * Hover picking. Neurons: a uniform grid over their layout positions (bucket sort, rebuilt per
 * snapshot in O(n)), so a query touches a few cells. Lines: a linear scan of the drawn segments
 * only (<= k, ~0.3 ms for 50,000), run at most once per animation frame and only when no neuron
 * is under the pointer; a segment grid would not pay for itself at 10 rebuilds per second.
 */
export class NeuronGrid {
  private cell = 16;
  private x0 = 0;
  private y0 = 0;
  private cols = 1;
  private rows = 1;
  private cellStart = new Uint32Array(2);
  private items = new Uint32Array(0);
  private px: Float32Array = new Float32Array(0);
  private py: Float32Array = new Float32Array(0);

  /** Indexes points (px[n], py[n]); cells are sized for ~2 points each on average. */
  build(px: Float32Array, py: Float32Array): void {
    const n = px.length;
    this.px = px;
    this.py = py;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let q = 0; q < n; q++) {
      x0 = Math.min(x0, px[q]);
      x1 = Math.max(x1, px[q]);
      y0 = Math.min(y0, py[q]);
      y1 = Math.max(y1, py[q]);
    }
    if (!(x1 >= x0)) [x0, x1, y0, y1] = [0, 1, 0, 1];
    const area = Math.max(1, (x1 - x0) * (y1 - y0));
    this.cell = Math.max(2, Math.sqrt((area / Math.max(1, n)) * 2));
    this.x0 = x0;
    this.y0 = y0;
    this.cols = Math.min(1024, Math.floor((x1 - x0) / this.cell) + 1);
    this.rows = Math.min(1024, Math.floor((y1 - y0) / this.cell) + 1);
    const cells = this.cols * this.rows;
    const start = new Uint32Array(cells + 1);
    const cellOf = new Uint32Array(n);
    for (let q = 0; q < n; q++) {
      cellOf[q] = this.cellIndex(px[q], py[q]);
      start[cellOf[q] + 1]++;
    }
    for (let c = 0; c < cells; c++) start[c + 1] += start[c];
    const fill = start.slice(0, cells);
    const items = this.items.length === n ? this.items : new Uint32Array(n);
    for (let q = 0; q < n; q++) items[fill[cellOf[q]]++] = q;
    this.cellStart = start;
    this.items = items;
  }

  private cellIndex(x: number, y: number): number {
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) / this.cell)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
    return r * this.cols + c;
  }

  /** Index of the point nearest (x, y) within radius r, or -1. */
  nearest(x: number, y: number, r: number): number {
    const c0 = Math.max(0, Math.floor((x - r - this.x0) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((x + r - this.x0) / this.cell));
    const r0 = Math.max(0, Math.floor((y - r - this.y0) / this.cell));
    const r1 = Math.min(this.rows - 1, Math.floor((y + r - this.y0) / this.cell));
    let best = -1;
    let bestD = r * r;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const cell = row * this.cols + col;
        for (let s = this.cellStart[cell]; s < this.cellStart[cell + 1]; s++) {
          const q = this.items[s];
          const dx = this.px[q] - x;
          const dy = this.py[q] - y;
          const d = dx * dx + dy * dy;
          if (d <= bestD) {
            bestD = d;
            best = q;
          }
        }
      }
    }
    return best;
  }
}

/**
 * Nearest segment to (x, y) within radius r. Segment e runs from neuron from[e] to neuron to[e]
 * (layout positions px, py). Returns the segment index or -1.
 */
export function nearestSegment(
  px: Float32Array,
  py: Float32Array,
  from: Uint32Array,
  to: Uint32Array,
  count: number,
  x: number,
  y: number,
  r: number,
): number {
  let best = -1;
  let bestD = r * r;
  for (let e = 0; e < count; e++) {
    const ax = px[from[e]];
    const ay = py[from[e]];
    const bx = px[to[e]] - ax;
    const by = py[to[e]] - ay;
    const len2 = bx * bx + by * by;
    let t = len2 > 0 ? ((x - ax) * bx + (y - ay) * by) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const dx = ax + t * bx - x;
    const dy = ay + t * by - y;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = e;
    }
  }
  return best;
}
