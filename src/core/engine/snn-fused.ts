import type { SpikingSpec } from '../../shared/model-spec';
import type { Arena, Buf } from './arena';
import { type NarrowLayer, pad } from './narrow';

/** Arguments 7, 8 (beta, thr) of snn_fwd and 11-14 (beta, thr, p1, p2) of snn_bwd are float32. */
const FWD_FLOATS = 0b110000000;
const BWD_FLOATS = 0b111100000000000;

/**
 * One spiking hidden layer with direct coding (a current I_1 = X W_0 + b_1 constant over the steps)
 * feeding a narrow output layer (n_2 <= 16), as the kernels of ./wasm-snn.ts run it: row by row, every
 * step of the hidden layer in cache. The hidden U and S of the steps are never stored: the forward pass
 * keeps U of the current step only, and the backward pass recomputes each row's trajectory
 *   U[t] = beta U[t-1] + I_1 - S[t-1] thr  (zero reset: beta (1 - S[t-1]) U[t-1] + I_1),  S[t] = H(U[t] - thr)
 * (the same float32 ops as the forward pass, so the same U and S) before the reverse time loop
 *   dS[t] = dI_2[t] W_1^T,  dU[t] = carry + dS[t] g(U[t] - thr),  carry = beta dU[t] (zero: * (1 - S[t-1]))
 *   sum_t dI_1[t] += dU[t],  dW_1 += S[t]^T dI_2[t].
 * This replaces streaming [T, rows, n_1] of U and S (4.9 MB per step each for 600 x 2048) through memory.
 */
export class FusedSpiking {
  /** U of the current step, [rowsMax, n_1] */
  private readonly state: Buf;
  /** S_1[t] W_1 for every step, [T, rowsMax, 16] */
  private readonly out: Buf;
  /** dI_2[t] for every step, [T, trainRows, 16] (columns n_2 … 15 stay zero) */
  private readonly dI: Buf;
  /** one row's trajectory, [T + 1, n_1] (row 0 stays zero: U[-1]) */
  private readonly traj: Buf;
  private readonly carry: Buf;

  /** Whether the fused kernels run the network `n` with `s` (else the step-by-step kernels do). */
  static fits(n: number[], s: SpikingSpec): boolean {
    return (
      n.length === 3 &&
      s.encoding === 'direct' &&
      !s.learnBeta &&
      !s.learnThreshold &&
      s.threshold >= 0 && // U[-1] = 0 must not count as a spike
      n[1] % 4 === 0 &&
      n[2] <= 16
    );
  }

  constructor(
    private readonly arena: Arena,
    private readonly s: SpikingSpec,
    private readonly n1: number,
    private readonly n2: number,
    rowsMax: number,
    trainRows: number,
    private readonly narrow: NarrowLayer,
  ) {
    const T = s.timeSteps;
    this.state = arena.floats(rowsMax * n1);
    this.out = arena.floats(T * rowsMax * 16);
    this.dI = arena.floats(T * trainRows * 16);
    this.traj = arena.floats((T + 1) * n1);
    this.carry = arena.floats(n1);
  }

  private get reset(): string {
    return this.s.reset === 'zero' ? 'zero' : 'sub';
  }

  /** S_1[t] W_1 for t < T from the current `cur` ([rows, n_1]): [T, rows, 16] (a view, bias not added). */
  forward(cur: Buf, rows: number, w: Float32Array, beta: number, thr: number): Float32Array {
    const T = this.s.timeSteps;
    const args = [cur.ptr, this.n1 * 4, this.narrow.padded(w), this.out.ptr, this.state.ptr, rows * 64, T, beta, thr];
    this.arena.split(`snn_fwd_${this.reset}`, args, FWD_FLOATS, rows, 1, rows * T * this.n1);
    return this.out.f;
  }

  /** Keeps dI_2[t] ([rows, n_2]) for the backward kernel. */
  keepOutputGradient(t: number, dI2: Float32Array, rows: number): void {
    pad(dI2, rows, this.n2, this.dI.f.subarray(t * rows * 16));
  }

  /**
   * The hidden layer's backward pass after keepOutputGradient of every step: acc = sum_t dI_1[t]
   * ([rows, n_1], overwritten) and dW_1 added into the narrow layer's gradient.
   */
  backward(cur: Buf, rows: number, w: Float32Array, beta: number, thr: number, acc: Buf): void {
    const T = this.s.timeSteps;
    const slope = this.s.surrogateSlope;
    const atan = this.s.surrogate === 'atan';
    const name = `snn_bwd_${atan ? 'atan' : 'fast'}_${this.reset}_k${this.n2}`;
    const args = [
      cur.ptr,
      this.n1 * 4,
      this.narrow.interleaved(w),
      this.dI.ptr,
      this.traj.ptr,
      this.carry.ptr,
      acc.ptr,
      this.narrow.gradient,
      rows,
      rows * 64,
      T,
      beta,
      thr,
      atan ? slope / 2 : slope,
      (Math.PI / 2) * slope,
    ];
    // ranges of whole cache lines: no two threads write the same line of traj, carry or acc
    this.arena.split(name, args, BWD_FLOATS, this.n1 * 4, 64, rows * T * this.n1 * this.n2);
  }
}
