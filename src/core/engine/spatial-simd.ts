import type { LayerArrays, LayerGrads, LayerShape } from '../model/kernels/fused-spatial-weights';
import type { Arena, Buf } from './arena';
import { SPATIAL_BLOCK, SPATIAL_COORDS } from './wasm-spatial';

/** Float32 argument bit of the forward kernel (eps2) and of the backward kernel (eps2). */
const FWD_FLOATS = 1 << 6;
const BWD_FLOATS = 1 << 9;
/** multiply-adds per weight, roughly, for the split decision */
const FWD_WORK = 8;
const BWD_WORK = 20;

/**
 * The spatial weights W'_ij = m_i / d_ij and their gradients on the SIMD kernels of ./wasm-spatial.ts,
 * split over the arena's threads (forward by rows, backward by fixed column blocks). Only the paper's
 * kernel K = 1/d with nOut a multiple of 4 and 1-4 learned coordinates (`fits`); other layers keep the
 * JavaScript kernel (fused-spatial-weights.ts), which computes the same values.
 */
export class SpatialSimd {
  private readonly cols: Buf;
  private readonly pIn: Buf;
  private readonly zIn: Buf;
  private readonly mask: Buf;
  private readonly dcols: Buf;
  private readonly part: Buf;
  private readonly blocks: number;

  static fits(s: LayerShape, kernel: string): boolean {
    return kernel === 'inverse' && s.nOut % 4 === 0 && SPATIAL_COORDS.includes(s.c);
  }

  constructor(
    private readonly arena: Arena,
    private readonly s: LayerShape,
  ) {
    const { nIn, nOut, c } = s;
    this.blocks = Math.ceil(nOut / SPATIAL_BLOCK);
    this.cols = arena.floats((c + 1) * nOut);
    this.pIn = arena.floats(nIn * c);
    this.zIn = arena.floats(nIn);
    this.mask = arena.floats(nIn);
    this.dcols = arena.floats((c + 1) * nOut);
    this.part = arena.floats(this.blocks * nIn * (c + 2));
  }

  /** Copies the layer's inputs into the kernel's layout (pOut and zOut transposed into columns). */
  private load(a: LayerArrays): void {
    const { nOut, c } = this.s;
    const cols = this.cols.f;
    for (let j = 0; j < nOut; j++) for (let k = 0; k < c; k++) cols[k * nOut + j] = a.pOut[j * c + k];
    cols.set(a.zOut, c * nOut);
    this.pIn.f.set(a.pIn);
    this.zIn.f.set(a.zIn);
    this.mask.f.set(a.mask);
  }

  /** w (byte address of [nIn * nOut] floats) = W'. */
  forward(a: LayerArrays, eps: number, w: number): void {
    const { nIn, nOut, c } = this.s;
    this.load(a);
    const args = [this.cols.ptr, this.pIn.ptr, this.zIn.ptr, this.mask.ptr, w, nOut, eps * eps];
    this.arena.split(`sw_fwd_c${c}`, args, FWD_FLOATS, nIn, 1, nIn * nOut * FWD_WORK);
  }

  /** Gradients of the inputs given g = dL/dW' (byte address of [nIn * nOut] floats); theta: 0 (no parameter). */
  backward(a: LayerArrays, eps: number, g: number): LayerGrads {
    const { nIn, nOut, c } = this.s;
    this.load(a);
    this.dcols.f.fill(0);
    const args = [this.cols.ptr, this.pIn.ptr, this.zIn.ptr, this.mask.ptr, g, this.part.ptr, this.dcols.ptr];
    this.arena.split(
      `sw_bwd_c${c}`,
      [...args, nIn, nOut, eps * eps],
      BWD_FLOATS,
      this.blocks,
      1,
      nIn * nOut * BWD_WORK,
    );
    // per-row sums: the blocks' partials added in block order (the same for every thread count)
    const part = this.part.f;
    const rowSums = new Float64Array(nIn * (c + 2));
    for (let b = 0; b < this.blocks; b++) {
      const base = b * nIn * (c + 2);
      for (let q = 0; q < rowSums.length; q++) rowSums[q] += part[base + q];
    }
    const out: LayerGrads = {
      pIn: new Float32Array(nIn * c),
      pOut: new Float32Array(nOut * c),
      zIn: new Float32Array(nIn),
      zOut: this.dcols.f.slice(c * nOut, (c + 1) * nOut),
      mask: new Float32Array(nIn),
      theta: 0,
    };
    for (let i = 0; i < nIn; i++) {
      for (let k = 0; k < c; k++) out.pIn[i * c + k] = rowSums[i * (c + 2) + k];
      out.zIn[i] = rowSums[i * (c + 2) + c];
      out.mask[i] = rowSums[i * (c + 2) + c + 1];
    }
    const d = this.dcols.f;
    for (let j = 0; j < nOut; j++) for (let k = 0; k < c; k++) out.pOut[j * c + k] = d[k * nOut + j];
    return out;
  }
}
