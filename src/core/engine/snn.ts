import type { ModelSpec, SpikingSpec } from '../../shared/model-spec';
import { rateEncode } from '../snn/encoding';
import type { Rng } from '../util/rng';
import { type Arena, type Buf, type Triples } from './arena';
import { layerWeights, type LayerWeights, type ParamArrays } from './layer-weights';
import { NarrowLayer } from './narrow';
import { FusedSpiking } from './snn-fused';
import { fillTriples } from './triples';
import { addColumnSums, multiplyInto, softmaxCrossEntropy, transpose, weightBuffers, type BatchStats } from './mlp';

/** Argument layouts of the LIF kernels (./wasm-lif.ts) for the element split over threads. */
const LIF_FWD = { floatMask: 0b11000000, ptrMask: 0b11111, countIndex: 5 };
const LIF_BWD = { floatMask: 0b11110000000, ptrMask: 0b111111, countIndex: 6 };

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
  /** U and S per layer l >= 1, [T, trainRows, n_l] while training (two [rowsMax, n_l] slots otherwise) */
  private readonly u: Buf[];
  private readonly sp: Buf[];
  private readonly carry: Buf[];
  /** never written: U[-1] = S[-1] = 0 for the kernels */
  private readonly zeros: Buf;
  private readonly dLogits: Buf;
  private readonly rowsMax: number;
  private x: Float32Array = new Float32Array(0);
  private logits: Float32Array;
  private rows = 0;
  private train = false;
  keep: Float32Array[] | null = null;
  /** layer pairs l >= 1 (spiking inputs in the arena) with at most 16 outputs: the narrow kernels */
  private readonly narrow: (NarrowLayer | null)[];
  /** one hidden layer, direct coding, narrow output: the fused time-loop kernels run layer 1 (null: step by step) */
  private readonly fused: FusedSpiking | null;

  constructor(spec: ModelSpec, params: ParamArrays, rowsMax: number, trainRows: number, arena: Arena) {
    if (!spec.spiking) throw new Error('SpikingEngine: not a spiking model');
    this.spec = spec;
    this.s = spec.spiking;
    this.n = spec.layers.slice();
    this.T = this.s.timeSteps;
    this.params = params;
    this.rowsMax = rowsMax;
    this.arena = arena;
    const n = this.n;
    const L = n.length;
    this.layers = layerWeights(spec, params, arena);
    ({ w: this.w, wt: this.wt, g: this.g } = weightBuffers(this.arena, n));
    const fused = FusedSpiking.fits(n, this.s);
    // layer 1's per-step buffers are unused when fused (and its U, S of every step are never stored)
    const stepwise = (k: number, l: number) => (l === 0 || (fused && l === 1) ? 0 : k);
    this.cur = n.map((k) => this.arena.floats(rowsMax * k));
    this.dI = n.map((k, l) => (l === 0 ? this.cur[0] : this.arena.floats(trainRows * stepwise(k, l))));
    this.dS = n.map((k, l) => (l === 0 ? this.cur[0] : this.arena.floats(trainRows * stepwise(k, l))));
    this.cur1 = this.arena.floats(rowsMax * n[1]);
    this.sumDI1 = this.arena.floats(trainRows * n[1]);
    this.trip = this.arena.triples(rowsMax * Math.max(...n));
    const slots = (k: number) => Math.max(this.T * trainRows, 2 * rowsMax) * k;
    this.u = n.map((k, l) => this.arena.floats(slots(stepwise(k, l))));
    this.sp = n.map((k, l) => this.arena.floats(slots(stepwise(k, l))));
    this.carry = n.map((k, l) => this.arena.floats(trainRows * stepwise(k, l)));
    this.zeros = this.arena.floats(rowsMax * Math.max(...n.slice(1)));
    this.dLogits = this.arena.floats(trainRows * n[L - 1]);
    this.logits = new Float32Array(rowsMax * n[L - 1]);
    this.narrow = n
      .slice(0, -1)
      .map((k, l) =>
        l >= 1 && NarrowLayer.fits(k, n[l + 1]) ? new NarrowLayer(this.arena, k, n[l + 1], rowsMax) : null,
      );
    this.fused = fused ? new FusedSpiking(arena, this.s, n[1], n[2], rowsMax, trainRows, this.narrow[1]!) : null;
    this.trainRows = trainRows;
  }

  private readonly trainRows: number;

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
      this.layers[l].build(this.w[l].f, this.w[l].ptr);
      if (this.keep) multiplyInto(this.w[l].f, this.keep[l]);
    }
    const size0 = rows * n[0];
    this.x = this.s.encoding === 'direct' ? x.subarray(0, size0) : rateEncode(x.subarray(0, size0), rows, T, rng);
    if (this.s.encoding === 'direct') this.product(this.x, rows, 0, this.cur1);
    const out = this.logits.subarray(0, rows * n[L - 1]);
    out.fill(0);
    const fusedOut = this.fused?.forward(this.cur1, rows, this.w[1].f, Math.fround(this.beta(1)), this.thr(1));
    for (let t = 0; t < T; t++) {
      for (let l = fusedOut ? 2 : 1; l < L; l++) {
        const size = rows * n[l];
        let current: Buf;
        if (l === 1 && this.s.encoding === 'direct') current = this.cur1;
        else if (fusedOut) {
          current = this.cur[2];
          const bias = this.params.get('bias.2')!;
          const k = n[2];
          for (let b = 0; b < rows; b++)
            for (let j = 0; j < k; j++) current.f[b * k + j] = fusedOut[(t * rows + b) * 16 + j] + bias[j];
        } else {
          const narrow = this.narrow[l - 1];
          if (narrow) {
            const ptr = this.sp[l - 1].ptr + this.slot(t, rows * n[l - 1]) * 4;
            narrow.forward(ptr, rows, this.w[l - 1].f, this.params.get(`bias.${l}`)!, this.cur[l].f);
          } else {
            const input =
              l === 1
                ? this.x.subarray(t * size0, (t + 1) * size0)
                : this.sp[l - 1].f.subarray(this.slot(t, rows * n[l - 1]));
            this.product(input, rows, l - 1, this.cur[l]);
          }
          current = this.cur[l];
        }
        this.lifStep(l, t, current, size);
        if (l === L - 1) {
          const o = this.slot(t, size);
          const src = this.s.decoding === 'spike-count' ? this.sp[l].f : this.u[l].f;
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

  /** U_l[t], S_l[t] from step t-1: the SIMD kernel, then the last size % 4 elements here. */
  private lifStep(l: number, t: number, current: Buf, size: number): void {
    const u = this.u[l].f;
    const s = this.sp[l].f;
    const o = this.slot(t, size);
    const thr = this.thr(l);
    const beta = Math.fround(this.beta(l));
    const zero = this.s.reset === 'zero';
    const vec = size & ~3;
    const prevU = t === 0 ? this.zeros.ptr : this.u[l].ptr + this.slot(t - 1, size) * 4;
    const prevS = t === 0 ? this.zeros.ptr : this.sp[l].ptr + this.slot(t - 1, size) * 4;
    this.arena.elementwise(
      zero ? 'lif_fwd_zero' : 'lif_fwd_sub',
      [prevU, prevS, current.ptr, this.u[l].ptr + o * 4, this.sp[l].ptr + o * 4, vec * 4, beta, thr],
      LIF_FWD,
    );
    if (t === 0) {
      for (let i = vec; i < size; i++) {
        u[o + i] = current.f[i];
        s[o + i] = u[o + i] - thr > 0 ? 1 : 0;
      }
      return;
    }
    const p = this.slot(t - 1, size);
    for (let i = vec; i < size; i++) {
      const prev = zero ? Math.fround((1 - s[p + i]) * u[p + i]) : u[p + i];
      const leak = Math.fround(Math.fround(prev * beta) + current.f[i]);
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
    const stats = softmaxCrossEntropy(this.logits, y, rows, n[L - 1], this.dLogits.f);
    for (const g of this.g) g.f.fill(0);
    for (const nl of this.narrow) nl?.resetGradient();
    for (const c of this.carry) c.f.fill(0);
    this.wtReady = [];
    this.sumDI1.f.fill(0, 0, rows * n[1]);
    const dBeta = new Float64Array(L);
    const dThr = new Float64Array(L);
    for (let t = T - 1; t >= 0; t--) {
      for (let l = L - 1; l >= (this.fused ? 2 : 1); l--) {
        const size = rows * n[l];
        const direct = l === 1 && this.s.encoding === 'direct';
        this.membraneGradient(
          l,
          t,
          size,
          l === L - 1 ? this.dLogits : this.dS[l],
          direct ? this.sumDI1 : null,
          dBeta,
          dThr,
        );
        if (!direct) {
          addColumnSums(grads.get(`bias.${l}`)!, this.dI[l].f, rows, n[l]);
          const size0 = rows * n[l - 1];
          const narrow = this.narrow[l - 1];
          if (this.fused) this.fused.keepOutputGradient(t, this.dI[l].f, rows);
          else if (narrow) narrow.addGradient(this.sp[l - 1].ptr + t * size0 * 4, rows, this.dI[l].f);
          else {
            const input =
              l === 1
                ? this.x.subarray(t * size0, (t + 1) * size0)
                : this.sp[l - 1].f.subarray(t * size0, (t + 1) * size0);
            this.weightGradient(input, rows, l - 1, this.dI[l]);
          }
        }
        if (l >= 2 && !this.fused) this.spikeGradient(l - 1, rows);
      }
    }
    this.fused?.backward(this.cur1, rows, this.w[1].f, Math.fround(this.beta(1)), this.thr(1), this.sumDI1);
    if (this.s.encoding === 'direct') {
      addColumnSums(grads.get('bias.1')!, this.sumDI1.f, rows, n[1]);
      this.weightGradient(this.x, rows, 0, this.sumDI1);
    }
    for (let l = 1; l < L; l++) {
      if (this.s.learnBeta) {
        const b = this.params.get(`beta.${l}`)![0];
        if (b >= 0 && b <= 1) grads.get(`beta.${l}`)![0] += dBeta[l]; // clamp passes the gradient inside [0, 1]
      }
      if (this.s.learnThreshold) grads.get(`threshold.${l}`)![0] += dThr[l];
    }
    for (let l = 0; l + 1 < L; l++) {
      this.narrow[l]?.readGradient(this.g[l].f);
      if (this.keep) multiplyInto(this.g[l].f, this.keep[l]);
      this.layers[l].backward(this.g[l].f, grads, this.g[l].ptr);
    }
    return stats;
  }

  /**
   * dU_l[t] = direct + carry (zero reset: times 1 - S[t-1] when carried further), written into dI_l
   * (dI_l[t] = dU_l[t]) and added into `acc` (direct coding: sum_t dI_1[t]); the carry for step t-1
   * becomes beta * dU_l[t]. direct: output layer dlogits / T (membrane-sum) or dlogits * g
   * (spike-count); hidden: dS_l[t] * g. The SIMD kernel does it unless beta or the threshold are
   * learned (their gradients are sums over every element); the last size % 4 elements are done here.
   */
  private membraneGradient(
    l: number,
    t: number,
    size: number,
    upstream: Buf,
    acc: Buf | null,
    dBeta: Float64Array,
    dThr: Float64Array,
  ): void {
    const L = this.n.length;
    const o = t * size;
    const thr = this.thr(l);
    const beta = t > 0 ? this.beta(l) : 0; // nothing flows to U[-1]
    const viaMembrane = l === L - 1 && this.s.decoding === 'membrane-sum';
    const slope = this.s.surrogateSlope;
    const atan = this.s.surrogate === 'atan';
    const zero = this.s.reset === 'zero';
    const learned = this.s.learnBeta || this.s.learnThreshold;
    const from = learned ? 0 : size & ~3;
    if (from > 0) {
      const kind = viaMembrane ? 'mem' : atan ? 'atan' : 'fast';
      const p1 = viaMembrane ? 1 / this.T : atan ? slope / 2 : slope;
      const sPrev = t > 0 ? this.sp[l].ptr + (o - size) * 4 : this.zeros.ptr;
      this.arena.elementwise(
        `lif_bwd_${kind}_${zero ? 'zero' : 'sub'}_${acc ? 'acc' : 'noacc'}`,
        [
          this.u[l].ptr + o * 4,
          sPrev,
          upstream.ptr,
          this.carry[l].ptr,
          this.dI[l].ptr,
          acc?.ptr ?? 0,
          from * 4,
          beta,
          thr,
          p1,
          (Math.PI / 2) * slope,
        ],
        LIF_BWD,
      );
    }
    const u = this.u[l].f;
    const s = this.sp[l].f;
    const up = upstream.f;
    const dI = this.dI[l].f;
    const carry = this.carry[l].f;
    const c = (Math.PI / 2) * slope;
    let sumThr = 0;
    let sumBeta = 0;
    for (let i = from; i < size; i++) {
      let d = carry[i];
      if (viaMembrane) d += up[i] * (1 / this.T);
      else {
        const v = u[o + i] - thr;
        const g = atan
          ? slope / 2 / (1 + c * v * (c * v))
          : 1 / ((slope * Math.abs(v) + 1) * (slope * Math.abs(v) + 1));
        const ds = up[i] * g;
        d += ds;
        sumThr -= ds;
      }
      dI[i] = d;
      if (acc) acc.f[i] += d;
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
    const narrow = this.narrow[l];
    if (narrow) {
      narrow.inputGradient(this.dI[l + 1].f, rows, this.w[l].f, this.dS[l]);
      return;
    }
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
}
