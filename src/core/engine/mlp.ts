import type { HiddenActivation, ModelSpec } from '../../shared/model-spec';
import { type Arena, type Buf, type Triples } from './arena';
import { layerWeights, type LayerWeights, type ParamArrays } from './layer-weights';
import { NarrowLayer, pad } from './narrow';
import { fillColumnTriples, fillTriples } from './triples';
import { TILE } from './wasm-tiles';

/** Fixed row chunks of a narrow layer's weight gradient (threads take whole chunks). */
const NARROW_CHUNKS = 4;

/** Mean loss and correct predictions of one batch. */
export interface BatchStats {
  /** sum over the batch of -log softmax(logits)[label] */
  lossSum: number;
  correct: number;
}

/**
 * Forward and backward passes of a (non-spiking) MLP, spatial or dense, on Float32Arrays, with every
 * matrix product done by the arena's SIMD kernel over the nonzero entries only:
 *   H_{l+1} = f(A_l W_l + b_{l+1})        one kernel row-update per nonzero A_l[b, i] (MNIST: ~19 % of pixels,
 *                                         ReLU: ~half the hidden units)
 *   dW_l    = A_l^T dZ_{l+1}               one per nonzero A_l[b, i] again
 *   dA_l    = dZ_{l+1} W_l^T  (l >= 1)     one per nonzero dZ_{l+1}[b, j]; the input layer gets none
 * with dZ = dL/d(pre-activation), f'(.) applied from the stored activations, L = mean cross-entropy.
 * W_l and dL/dW_l -> parameters go through LayerWeights (the shared spatial kernel for W' = mask/d).
 * `keep` (pruning) multiplies W_l after it is built and dL/dW_l before it flows back.
 */
export class MlpEngine {
  readonly spec: ModelSpec;
  readonly arena: Arena;
  private readonly n: number[];
  private readonly rowsMax: number;
  private readonly layers: LayerWeights[];
  private readonly w: Buf[];
  private readonly wt: (Buf | null)[];
  private readonly g: Buf[];
  /** a[0] holds the input batch; a[l] the activations of layer l; a[L-1] the logits */
  private readonly a: Buf[];
  /** dZ per layer (index l: layer l's pre-activation gradient), l >= 1 */
  private readonly dz: Buf[];
  private readonly trip: Triples;
  /** the source of the product in progress in the tiled layout (./wasm-tiles.ts) */
  private readonly tiles: Buf;
  /** narrow layers' weight gradient: dZ padded to 16 columns and the row chunks' partial sums */
  private narrowBufs: { dz16: Buf; parts: Buf } | null = null;
  /** column sums of dZ (bias gradients) */
  private readonly colSums: Buf;
  private readonly params: ParamArrays;
  /** layer pairs with at most 16 outputs run on the narrow kernels (null: the row kernel) */
  private readonly narrow: (NarrowLayer | null)[];
  /** pruning: per layer, 1 = connection kept, 0 = removed (null: nothing removed) */
  keep: Float32Array[] | null = null;

  /** `params` are read live at every pass (the optimizer updates them in place). */
  constructor(spec: ModelSpec, params: ParamArrays, rowsMax: number, arena: Arena) {
    if (spec.spiking) throw new Error('MlpEngine: spiking models use the spiking engine');
    this.spec = spec;
    this.n = spec.layers.slice();
    this.rowsMax = rowsMax;
    this.params = params;
    this.arena = arena;
    const n = this.n;
    this.layers = layerWeights(spec, params, arena);
    ({ w: this.w, wt: this.wt, g: this.g } = weightBuffers(this.arena, n));
    this.a = n.map((k) => this.arena.floats(rowsMax * k));
    this.dz = n.map((k, l) => (l === 0 ? this.a[0] : this.arena.floats(rowsMax * k)));
    this.trip = this.arena.triples(rowsMax * Math.max(...n));
    this.colSums = this.arena.floats(Math.max(...n));
    this.tiles = this.arena.floats(Math.max(...n.slice(1).map((k, l) => k * Math.max(n[l], rowsMax))));
    this.narrow = n
      .slice(0, -1)
      .map((k, l) => (NarrowLayer.fits(k, n[l + 1]) ? new NarrowLayer(this.arena, k, n[l + 1], rowsMax) : null));
  }

  /** Logits [rows, n_{L-1}] (a view, valid until the next call) of inputs x [rows, n_0]. */
  forward(x: Float32Array, rows: number): Float32Array {
    if (rows > this.rowsMax) throw new Error(`MlpEngine: ${rows} rows, at most ${this.rowsMax}`);
    const n = this.n;
    const L = n.length;
    this.a[0].f.set(x.subarray(0, rows * n[0]));
    for (let l = 0; l + 1 < L; l++) {
      const w = this.w[l];
      this.layers[l].build(w.f, w.ptr);
      if (this.keep) multiplyInto(w.f, this.keep[l]);
      this.layerForward(l, rows);
      if (l + 2 < L) this.activate(this.a[l + 1], rows * n[l + 1]);
    }
    return this.a[L - 1].f.subarray(0, rows * n[L - 1]);
  }

  /** Z = A_l W_l + b_{l+1}, written into a[l+1]. */
  private layerForward(l: number, rows: number): void {
    const nIn = this.n[l];
    const nOut = this.n[l + 1];
    const out = this.a[l + 1];
    const bias = this.params.get(`bias.${l + 1}`)!;
    const narrow = this.narrow[l];
    if (narrow) {
      narrow.forward(this.a[l].ptr, rows, this.w[l].f, bias, out.f);
      return;
    }
    for (let b = 0; b < rows; b++) out.f.set(bias, b * nOut);
    this.product(this.a[l].f, rows, nIn, out, this.w[l], nOut, false);
  }

  /**
   * Backward pass after `forward` for labels y: adds dL/dparams (L = mean cross-entropy over the rows)
   * into `grads` and returns the batch's loss sum and correct count.
   */
  backward(y: Int32Array, rows: number, grads: ParamArrays): BatchStats {
    const n = this.n;
    const L = n.length;
    const stats = softmaxCrossEntropy(this.a[L - 1].f, y, rows, n[L - 1], this.dz[L - 1].f);
    for (let l = L - 2; l >= 0; l--) {
      const nIn = n[l];
      const nOut = n[l + 1];
      const dz = this.dz[l + 1];
      this.biasGradient(grads.get(`bias.${l + 1}`)!, dz, rows, nOut);
      // dW = A^T dZ: row i of dW gets A[b, i] * dZ[b, :] for every nonzero A[b, i]
      const g = this.g[l];
      const narrow = this.narrow[l];
      if (narrow) {
        this.narrowGradient(l, rows, g.f);
      } else {
        g.f.fill(0);
        this.product(this.a[l].f, rows, nIn, g, dz, nOut, true);
      }
      if (this.keep) multiplyInto(g.f, this.keep[l]);
      if (l > 0) this.inputGradient(l, rows);
      this.layers[l].backward(g.f, grads, g.ptr);
    }
    return stats;
  }

  /**
   * dst [rows, width] += M src (or, `transposed`, dst [cols, width] += M^T src) for M [rows, cols], over
   * M's nonzeros; src [cols or rows, width] goes to the tiled kernel when width is a multiple of TILE.
   */
  private product(m: Float32Array, rows: number, cols: number, dst: Buf, src: Buf, width: number, transposed: boolean) {
    const srcRows = transposed ? rows : cols;
    const tiled = width % TILE === 0;
    const srcBytes = tiled ? TILE * 4 : width * 4;
    if (tiled) this.arena.toTiles(src, this.tiles, srcRows, width);
    const count = transposed
      ? fillColumnTriples(this.trip, m, rows, cols, width * 4, srcBytes)
      : fillTriples(this.trip, m, rows, cols, width * 4, srcBytes);
    this.arena.axpy(this.trip, count, dst, tiled ? this.tiles : src, width, tiled ? srcRows * srcBytes : 0);
  }

  /**
   * dW_l = A_l^T dZ_{l+1} of a narrow layer into g: narrow_grad over NARROW_CHUNKS fixed row chunks
   * (split over the threads), their sums added in chunk order (the same bits for any thread count).
   */
  private narrowGradient(l: number, rows: number, g: Float32Array): void {
    const [nIn, nOut] = [this.n[l], this.n[l + 1]];
    this.narrowBufs ??= {
      dz16: this.arena.floats(this.rowsMax * 16),
      parts: this.arena.floats(NARROW_CHUNKS * Math.max(...this.n) * 16),
    };
    const { dz16, parts } = this.narrowBufs;
    const chunkRows = Math.ceil(rows / NARROW_CHUNKS);
    const chunks = Math.ceil(rows / chunkRows);
    const part = nIn * 16;
    pad(this.dz[l + 1].f, rows, nOut, dz16.f);
    parts.f.fill(0, 0, chunks * part);
    const args = [this.a[l].ptr, rows, nIn * 4, dz16.ptr, parts.ptr, chunkRows, part * 4];
    this.arena.split('narrow_grad_chunks', args, 0, chunks, 1, rows * nIn * 16);
    const p = parts.f;
    for (let i = 0; i < nIn; i++)
      for (let j = 0; j < nOut; j++) {
        let s = 0;
        for (let c = 0; c < chunks; c++) s += p[c * part + i * 16 + j];
        g[i * nOut + j] = s;
      }
  }

  /** dst += column sums of dz [rows, cols]: on the SIMD kernel (threads split the columns) when cols % 4 = 0. */
  private biasGradient(dst: Float32Array, dz: Buf, rows: number, cols: number): void {
    if (cols % 4 !== 0) return addColumnSums(dst, dz.f, rows, cols);
    const sums = this.colSums.f.subarray(0, cols);
    sums.fill(0);
    this.arena.split('col_sums', [this.colSums.ptr, dz.ptr, rows, cols * 4], 0, cols * 4, 16, rows * cols);
    for (let j = 0; j < cols; j++) dst[j] += sums[j];
  }

  /** dZ_l = (dZ_{l+1} W_l^T) * f'(A_l), from the transposed weights. */
  private inputGradient(l: number, rows: number): void {
    const nIn = this.n[l];
    const nOut = this.n[l + 1];
    const da = this.dz[l];
    const narrow = this.narrow[l];
    if (narrow) narrow.inputGradient(this.dz[l + 1].f, rows, this.w[l].f, da);
    else {
      const wt = this.wt[l]!;
      transpose(this.w[l].f, nIn, nOut, wt.f);
      da.f.fill(0, 0, rows * nIn);
      this.product(this.dz[l + 1].f, rows, nOut, da, wt, nIn, false);
    }
    const f = this.spec.hiddenActivation;
    const from =
      f === 'relu' ? simd(rows * nIn, (bytes) => this.arena.kernels.relu_grad(da.ptr, this.a[l].ptr, bytes)) : 0;
    activationGradient(da.f, this.a[l].f, from, rows * nIn, f);
  }

  /** f(x) in place: ReLU on the SIMD kernel (the last count % 4 here), tanh and sigmoid in JavaScript. */
  private activate(x: Buf, count: number): void {
    const f = this.spec.hiddenActivation;
    const from = f === 'relu' ? simd(count, (bytes) => this.arena.kernels.relu(x.ptr, bytes)) : 0;
    activate(x.f, from, count, f);
  }
}

/** Per layer pair: W_l, its transpose (l >= 1: the input layer needs no input gradient) and dL/dW_l. */
export function weightBuffers(arena: Arena, n: number[]): { w: Buf[]; wt: (Buf | null)[]; g: Buf[] } {
  const out: { w: Buf[]; wt: (Buf | null)[]; g: Buf[] } = { w: [], wt: [], g: [] };
  for (let l = 0; l + 1 < n.length; l++) {
    out.w.push(arena.floats(n[l] * n[l + 1]));
    out.wt.push(l > 0 ? arena.floats(n[l] * n[l + 1]) : null);
    out.g.push(arena.floats(n[l] * n[l + 1]));
  }
  return out;
}

export function multiplyInto(dst: Float32Array, m: Float32Array): void {
  for (let i = 0; i < m.length; i++) dst[i] *= m[i];
}

export function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}

export function addColumnSums(dst: Float32Array, m: Float32Array, rows: number, cols: number): void {
  for (let b = 0; b < rows; b++) {
    const base = b * cols;
    for (let j = 0; j < cols; j++) dst[j] += m[base + j];
  }
}

/** Runs `kernel` on the first count - count % 4 elements (as a byte count); returns where JavaScript takes over. */
export function simd(count: number, kernel: (bytes: number) => void): number {
  const vec = count & ~3;
  if (vec > 0) kernel(vec * 4);
  return vec;
}

function activate(x: Float32Array, from: number, count: number, f: HiddenActivation): void {
  if (f === 'relu') for (let i = from; i < count; i++) x[i] = x[i] > 0 ? x[i] : 0;
  else if (f === 'tanh') for (let i = from; i < count; i++) x[i] = Math.tanh(x[i]);
  else for (let i = from; i < count; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
}

/** da *= f'(pre) written in terms of the activation a = f(pre), for elements [from, count). */
function activationGradient(da: Float32Array, a: Float32Array, from: number, count: number, f: HiddenActivation): void {
  if (f === 'relu') for (let i = from; i < count; i++) da[i] = a[i] > 0 ? da[i] : 0;
  else if (f === 'tanh') for (let i = from; i < count; i++) da[i] *= 1 - a[i] * a[i];
  else for (let i = from; i < count; i++) da[i] *= a[i] * (1 - a[i]);
}

/**
 * loss_b = logsumexp(z_b) - z_b[y_b]; dz = (softmax(z) - onehot(y)) / rows (the mean's gradient).
 * Also counts argmax(z_b) == y_b (first maximum, as tf.argMax).
 */
export function softmaxCrossEntropy(
  z: Float32Array,
  y: Int32Array,
  rows: number,
  cols: number,
  dz?: Float32Array,
): BatchStats {
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < rows; b++) {
    const base = b * cols;
    let max = -Infinity;
    let arg = 0;
    for (let j = 0; j < cols; j++) {
      if (z[base + j] > max) {
        max = z[base + j];
        arg = j;
      }
    }
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(z[base + j] - max);
    const label = y[b];
    lossSum += Math.log(sum) + max - z[base + label];
    if (arg === label) correct++;
    if (!dz) continue;
    for (let j = 0; j < cols; j++) dz[base + j] = (Math.exp(z[base + j] - max) / sum - (j === label ? 1 : 0)) / rows;
  }
  return { lossSum, correct };
}
