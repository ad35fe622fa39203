import type { ModelSpec, SpikingSpec } from '../../shared/model-spec';
import { rateEncode } from '../snn/encoding';
import type { Rng } from '../util/rng';
import { Arena, type Buf, type Triples } from './arena';
import { layerWeights, type LayerWeights, type ParamArrays } from './layer-weights';
import { addColumnSums, fillTriples, multiplyInto, softmaxCrossEntropy, transpose, weightBuffers, type BatchStats } from './mlp';

/**
 * The spiking network (src/core/snn/spiking-forward.ts, same semantics and parameters) on the
 * WebAssembly engine, simulated step-major (t = 0 … T-1, every layer at each step):
 *   I_1[t] = X[t] W_0 + b_1 (direct coding: X W_0 once)    I_l+1[t] = S_l[t] W_l + b_l+1
 *   U_l[t] = beta U_l[t-1] + I_l[t] - S_l[t-1] thr  (subtract)  or  beta (1 - S_l[t-1]) U_l[t-1] + I_l[t]  (zero)
 *   S_l[t] = H(U_l[t] - thr),  logits = (1/T) sum_t U_L[t]  or  sum_t S_L[t]
 * S_l[t] W_l skips the zeros of the binary spike trains (the kernel sees one row per spike).
 * Backward is BPTT in reverse time order, with S[t-1] in the reset detached and dS/dU the
 * surrogate g(U - thr) (atan: (a/2) / (1 + (pi/2 a v)^2); fast sigmoid: 1 / (k|v| + 1)^2). Direct
 * coding folds dW_0 into one product X^T (sum_t dI_1[t]). U and S of every step are kept for the
 * backward pass while training ([T, rows, n_l] per layer); evaluation keeps two steps.
 */
export class SpikingEngine {
  readonly spec: ModelSpec;
  readonly arena: Arena;
  private readonly s: SpikingSpec;
  private readonly n: number[];
  private readonly T: number;
  private readonly params: ParamArrays;
  private readonly layers: LayerWeights[];
  private readonly w: Buf[];
  private readonly wt: (Buf | null)[];
  private readonly g: Buf[];
  /** per layer l >= 1: the current I_l[t] (kernel output), and dI_l[t] / dS_l[t] in the backward pass */
  private readonly cur: Buf[];
  private readonly dI: Buf[];
  private readonly dS: Buf[];
  /** direct coding: X W_0 + b_1, and sum_t dI_1[t] */
  private readonly cur1: Buf;
  private readonly sumDI1: Buf;
  private readonly trip: Triples;
  /** U and S per layer l >= 1, [T, rowsMax, n_l] (training) */
  private readonly u: Float32Array[];
  private readonly sp: Float32Array[];
  private readonly carry: Float32Array[];
  private readonly rowsMax: number;
  private x: Float32Array = new Float32Array(0);
  private logits: Float32Array;
  private rows = 0;
  private train = false;
  keep: Float32Array[] | null = null;

  constructor(spec: ModelSpec, params: ParamArrays, rowsMax: number, trainRows: number, threads: number, splitMinWork?: number) {
    if (!spec.spiking) throw new Error('SpikingEngine: not a spiking model');
    this.spec = spec;
    this.s = spec.spiking;
    this.n = spec.layers.slice();
    this.T = this.s.timeSteps;
    this.params = params;
    this.rowsMax = rowsMax;
    this.arena = new Arena(threads, splitMinWork);
    const n = this.n;
    const L = n.length;
    this.layers = layerWeights(spec, params);
    ({ w: this.w, wt: this.wt, g: this.g } = weightBuffers(this.arena, n));
    this.cur = n.map((k) => this.arena.floats(rowsMax * k));
    this.dI = n.map((k, l) => (l === 0 ? this.cur[0] : this.arena.floats(trainRows * k)));
    this.dS = n.map((k, l) => (l === 0 ? this.cur[0] : this.arena.floats(trainRows * k)));
    this.cur1 = this.arena.floats(rowsMax * n[1]);
    this.sumDI1 = this.arena.floats(trainRows * n[1]);
    this.trip = this.arena.triples(rowsMax * Math.max(...n));
    const slots = (k: number) => Math.max(this.T * trainRows, 2 * rowsMax) * k;
    this.u = n.map((k, l) => new Float32Array(l === 0 ? 0 : slots(k)));
    this.sp = n.map((k, l) => new Float32Array(l === 0 ? 0 : slots(k)));
    this.carry = n.map((k, l) => new Float32Array(l === 0 ? 0 : trainRows * k));
    this.logits = new Float32Array(rowsMax * n[L - 1]);
    this.trainRows = trainRows;
  }

  private readonly trainRows: number;

  get threads(): number {
    return this.arena.threads;
  }

  private beta(l: number): number {
    const b = this.s.learnBeta ? this.params.get(`beta.${l}`)![0] : this.s.beta;
    return Math.min(1, Math.max(0, b)); // clamp(beta, 0, 1) as snnTorch
  }

  private thr(l: number): number {
    return this.s.learnThreshold ? this.params.get(`threshold.${l}`)![0] : this.s.threshold;
  }

  /** Offset of step t's [rows, n] slice: every step while training, two alternating slots otherwise. */
  private slot(t: number, size: number): number {
    return (this.train ? t : t & 1) * size;
  }

  /** Logits [rows, n_{L-1}] of inputs x [rows, n_0]; `train` keeps what backward needs. */
  forward(x: Float32Array, rows: number, rng: Rng, train: boolean): Float32Array {
    if (rows > (train ? this.trainRows : this.rowsMax)) throw new Error(`SpikingEngine: ${rows} rows is too many`);
    const n = this.n;
    const L = n.length;
    const T = this.T;
    this.rows = rows;
    this.train = train;
    for (let l = 0; l + 1 < L; l++) {
      this.layers[l].build(this.w[l].f);
      if (this.keep) multiplyInto(this.w[l].f, this.keep[l]);
    }
    const size0 = rows * n[0];
    this.x = this.s.encoding === 'direct' ? x.subarray(0, size0) : rateEncode(x.subarray(0, size0), rows, T, rng);
    if (this.s.encoding === 'direct') this.product(this.x, rows, 0, this.cur1);
    const out = this.logits.subarray(0, rows * n[L - 1]);
    out.fill(0);
    for (let t = 0; t < T; t++) {
      for (let l = 1; l < L; l++) {
        const size = rows * n[l];
        let current: Float32Array;
        if (l === 1 && this.s.encoding === 'direct') current = this.cur1.f;
        else {
          const input = l === 1 ? this.x.subarray(t * size0, (t + 1) * size0) : this.sp[l - 1].subarray(this.slot(t, rows * n[l - 1]));
          this.product(input, rows, l - 1, this.cur[l]);
          current = this.cur[l].f;
        }
        this.lifStep(l, t, current, size);
        if (l === L - 1) {
          const o = this.slot(t, size);
          const src = this.s.decoding === 'spike-count' ? this.sp[l] : this.u[l];
          for (let i = 0; i < size; i++) out[i] += src[o + i];
        }
      }
    }
    const inv = Math.fround(1 / T); // tf.mul(sum, 1/T) multiplies by the float32 scalar
    if (this.s.decoding === 'membrane-sum') for (let i = 0; i < out.length; i++) out[i] = out[i] * inv;
    return out;
  }

  /** out = A W_l + b_{l+1} for A [rows, n_l] (zeros skipped). */
  private product(a: Float32Array, rows: number, l: number, out: Buf): void {
    const nIn = this.n[l];
    const nOut = this.n[l + 1];
    const bias = this.params.get(`bias.${l + 1}`)!;
    for (let b = 0; b < rows; b++) out.f.set(bias, b * nOut);
    const count = fillTriples(this.trip, a, rows, nIn, nOut * 4, nOut * 4);
    this.arena.axpy(this.trip, count, out, this.w[l], nOut);
  }

  private lifStep(l: number, t: number, current: Float32Array, size: number): void {
    const u = this.u[l];
    const s = this.sp[l];
    const o = this.slot(t, size);
    const thr = this.thr(l);
    if (t === 0) {
      for (let i = 0; i < size; i++) {
        u[o + i] = current[i];
        s[o + i] = u[o + i] - thr > 0 ? 1 : 0;
      }
      return;
    }
    const p = this.slot(t - 1, size);
    const beta = Math.fround(this.beta(l));
    const zero = this.s.reset === 'zero';
    for (let i = 0; i < size; i++) {
      const prev = zero ? Math.fround((1 - s[p + i]) * u[p + i]) : u[p + i];
      const leak = Math.fround(Math.fround(prev * beta) + current[i]);
      u[o + i] = zero ? leak : leak - s[p + i] * thr;
      s[o + i] = u[o + i] - thr > 0 ? 1 : 0;
    }
  }

  /** BPTT after a training forward: adds dL/dparams (L = mean cross-entropy) into `grads`. */
  backward(y: Int32Array, grads: ParamArrays): BatchStats {
    if (!this.train) throw new Error('SpikingEngine: backward needs a training forward pass');
    const rows = this.rows;
    const n = this.n;
    const L = n.length;
    const T = this.T;
    const dLogits = new Float32Array(rows * n[L - 1]);
    const stats = softmaxCrossEntropy(this.logits, y, rows, n[L - 1], dLogits);
    for (const g of this.g) g.f.fill(0);
    for (const c of this.carry) c.fill(0);
    this.wtReady = [];
    this.sumDI1.f.fill(0, 0, rows * n[1]);
    const dBeta = new Float64Array(L);
    const dThr = new Float64Array(L);
    for (let t = T - 1; t >= 0; t--) {
      for (let l = L - 1; l >= 1; l--) {
        const size = rows * n[l];
        const dI = this.dI[l].f;
        this.membraneGradient(l, t, size, l === L - 1 ? dLogits : this.dS[l].f, dI, dBeta, dThr);
        addColumnSums(grads.get(`bias.${l}`)!, dI, rows, n[l]);
        if (l === 1 && this.s.encoding === 'direct') {
          const sum = this.sumDI1.f;
          for (let i = 0; i < size; i++) sum[i] += dI[i];
        } else {
          const size0 = rows * n[l - 1];
          const input = l === 1 ? this.x.subarray(t * size0, (t + 1) * size0) : this.sp[l - 1].subarray(t * size0, (t + 1) * size0);
          this.weightGradient(input, rows, l - 1, this.dI[l]);
        }
        if (l >= 2) this.spikeGradient(l - 1, rows);
      }
    }
    if (this.s.encoding === 'direct') this.weightGradient(this.x, rows, 0, this.sumDI1);
    for (let l = 1; l < L; l++) {
      if (this.s.learnBeta) {
        const b = this.params.get(`beta.${l}`)![0];
        if (b >= 0 && b <= 1) grads.get(`beta.${l}`)![0] += dBeta[l]; // clamp passes the gradient inside [0, 1]
      }
      if (this.s.learnThreshold) grads.get(`threshold.${l}`)![0] += dThr[l];
    }
    for (let l = 0; l + 1 < L; l++) {
      if (this.keep) multiplyInto(this.g[l].f, this.keep[l]);
      this.layers[l].backward(this.g[l].f, grads);
    }
    return stats;
  }

  /**
   * dU_l[t] = direct + carry (zero reset: times 1 - S[t-1] when carried further), written into dI
   * (dI_l[t] = dU_l[t]); the carry for step t-1 becomes beta * dU_l[t].
   * direct: output layer dlogits / T (membrane-sum) or dlogits * g (spike-count); hidden: dS_l[t] * g.
   */
  private membraneGradient(l: number, t: number, size: number, upstream: Float32Array, dI: Float32Array, dBeta: Float64Array, dThr: Float64Array): void {
    const L = this.n.length;
    const u = this.u[l];
    const s = this.sp[l];
    const o = t * size;
    const thr = this.thr(l);
    const beta = this.beta(l);
    const carry = this.carry[l];
    const viaMembrane = l === L - 1 && this.s.decoding === 'membrane-sum';
    const inv = 1 / this.T;
    const slope = this.s.surrogateSlope;
    const atan = this.s.surrogate === 'atan';
    const zero = this.s.reset === 'zero';
    const c = (Math.PI / 2) * slope;
    let sumThr = 0;
    let sumBeta = 0;
    for (let i = 0; i < size; i++) {
      let d = carry[i];
      if (viaMembrane) d += upstream[i] * inv;
      else {
        const v = u[o + i] - thr;
        const g = atan ? slope / 2 / (1 + c * v * (c * v)) : 1 / ((slope * Math.abs(v) + 1) * (slope * Math.abs(v) + 1));
        const ds = upstream[i] * g;
        d += ds;
        sumThr -= ds;
      }
      dI[i] = d;
      if (t > 0) {
        const p = o - size;
        const open = zero ? 1 - s[p + i] : 1;
        sumBeta += d * open * u[p + i];
        if (!zero) sumThr -= d * s[p + i];
        carry[i] = d * beta * open;
      } else carry[i] = 0;
    }
    dThr[l] += sumThr;
    dBeta[l] += sumBeta;
  }

  /** G_l += A^T dI_{l+1}[t] (rows of dI added into G for each nonzero of A). */
  private weightGradient(a: Float32Array, rows: number, l: number, dI: Buf): void {
    const nIn = this.n[l];
    const nOut = this.n[l + 1];
    const count = fillTriples(this.trip, a, rows, nIn, nOut * 4, nOut * 4, true);
    this.arena.axpy(this.trip, count, this.g[l], dI, nOut);
  }

  /** dS_l[t] = dI_{l+1}[t] W_l^T. */
  private spikeGradient(l: number, rows: number): void {
    const nIn = this.n[l];
    const nOut = this.n[l + 1];
    const wt = this.wt[l]!;
    if (!this.wtReady[l]) {
      transpose(this.w[l].f, nIn, nOut, wt.f);
      this.wtReady[l] = true;
    }
    this.dS[l].f.fill(0, 0, rows * nIn);
    const count = fillTriples(this.trip, this.dI[l + 1].f, rows, nOut, nIn * 4, nIn * 4);
    this.arena.axpy(this.trip, count, this.dS[l], wt, nIn);
  }

  private wtReady: boolean[] = [];

  dispose(): void {
    this.arena.dispose();
  }
}
