import type { Arena, Buf } from './arena';

/**
 * A layer pair with at most 16 outputs (nIn a multiple of 4), run by the narrow kernels of
 * ./wasm-narrow.ts on 16-column padded copies of W and dZ.
 */
export class NarrowLayer {
  private readonly w16: Buf;
  private readonly out16: Buf;
  private readonly dz16: Buf;
  private readonly g16: Buf;
  private readonly wt: Buf;

  static fits(nIn: number, nOut: number): boolean {
    return nOut <= 16 && nIn % 4 === 0;
  }

  constructor(
    private readonly arena: Arena,
    private readonly nIn: number,
    private readonly nOut: number,
    rowsMax: number,
  ) {
    this.w16 = arena.floats(nIn * 16);
    this.out16 = arena.floats(rowsMax * 16);
    this.dz16 = arena.floats(rowsMax * 16);
    this.g16 = arena.floats(nIn * 16);
    this.wt = arena.floats(nIn * 16);
  }

  /** dA = dZ W^T into `out` ([rows, nIn] in the arena), dZ [rows, nOut]. */
  inputGradient(dz: Float32Array, rows: number, w: Float32Array, out: Buf): void {
    pad(dz, rows, this.nOut, this.dz16.f);
    const args = [this.dz16.ptr, rows, this.interleaved(w), this.nIn * 4, out.ptr];
    this.arena.split('narrow_back_rows', args, 0, rows, 1, rows * this.nIn * 16); // rows over the threads
  }

  /** Byte address of W^T interleaved for narrow_back: wt[(i / 4) * 64 + k * 4 + i % 4] = W[i, k], zero for k >= nOut. */
  interleaved(w: Float32Array): number {
    const { nIn, nOut } = this;
    const wt = this.wt.f;
    for (let i = 0; i < nIn; i++) for (let k = 0; k < nOut; k++) wt[(i >> 2) * 64 + k * 4 + (i & 3)] = w[i * nOut + k];
    return this.wt.ptr;
  }

  /** Byte address of W padded to 16 columns (zeros beyond nOut). */
  padded(w: Float32Array): number {
    pad(w, this.nIn, this.nOut, this.w16.f);
    return this.w16.ptr;
  }

  /** Byte address of the accumulated gradient, [nIn, 16] (what addGradient adds into and readGradient reads). */
  get gradient(): number {
    return this.g16.ptr;
  }

  /** out[b, j] = sum_i A[b, i] W[i, j] + bias[j], A at byte address `a` ([rows, nIn] in the arena). */
  forward(a: number, rows: number, w: Float32Array, bias: Float32Array, out: Float32Array): void {
    const { nIn, nOut } = this;
    const args = [a, rows, nIn * 4, this.padded(w), this.out16.ptr];
    this.arena.split('narrow_fwd_rows', args, 0, rows, 1, rows * nIn * 16); // rows over the threads
    const o = this.out16.f;
    for (let b = 0; b < rows; b++) for (let j = 0; j < nOut; j++) out[b * nOut + j] = o[b * 16 + j] + bias[j];
  }

  resetGradient(): void {
    this.g16.f.fill(0);
  }

  /** G += A^T dZ for A at byte address `a` ([rows, nIn]) and dZ [rows, nOut]. */
  addGradient(a: number, rows: number, dz: Float32Array): void {
    pad(dz, rows, this.nOut, this.dz16.f);
    this.arena.kernels.narrow_grad(a, rows, this.nIn * 4, this.dz16.ptr, this.g16.ptr);
  }

  /** The accumulated G, [nIn, nOut] row-major, written into g. */
  readGradient(g: Float32Array): void {
    const { nIn, nOut } = this;
    const s = this.g16.f;
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) g[i * nOut + j] = s[i * 16 + j];
  }
}

/** dst[r * 16 + j] = src[r * cols + j] for r < rows, j < cols (the other columns are left as they are). */
export function pad(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) dst[r * 16 + j] = src[r * cols + j];
}
