import { kernelModuleBytes } from './wasm-kernel';
import { CONTROL_BYTES, KernelThreads, type JobLayout } from './threads';
import { wasm, type WasmModule } from './wasm-api';
import { relaxedSimd, TILE } from './wasm-tiles';

const PAGE = 65536;
/** 1 GiB of address space reserved for the shared memory (only what is grown is committed). */
const MAX_PAGES = 16384;
/** below this many multiply-adds a call stays on the calling thread (waking a worker costs ~20 µs) */
export const SPLIT_MIN_WORK = 200_000;

/** A float32 buffer inside the arena: `ptr` is its byte address for the kernel, `f` a view on it. */
export interface Buf {
  ptr: number;
  f: Float32Array;
}

/** A list of (dst byte offset, src byte offset, value) triples, the kernel's work list. */
export interface Triples {
  ptr: number;
  i: Int32Array;
  v: Float32Array;
  /** capacity in triples */
  cap: number;
}

let cachedModule: WasmModule | null = null;

const COLUMNS: JobLayout = { mode: 'columns', floatMask: 0, ptrMask: 0, countIndex: -1 };

/** The kernel, compiled once per thread of JavaScript. */
function kernelModule(): WasmModule {
  cachedModule ??= new wasm.Module(kernelModuleBytes(MAX_PAGES, relaxedSimd()));
  return cachedModule;
}

/**
 * Shared WebAssembly memory holding every buffer the kernel reads or writes, a bump allocator over
 * it, and the kernel split over `threads` threads (the caller plus threads - 1 workers), each taking
 * a contiguous range of the columns: every output element is computed by one thread in the same
 * order, so the result is bit-identical whatever the thread count.
 */
export class Arena {
  readonly memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  readonly threads: number;
  /** every exported kernel by name (the LIF kernels of ./wasm-lif.ts; run on the calling thread) */
  readonly kernels: Record<string, (...args: number[]) => void>;
  private readonly workers: KernelThreads | null;
  private readonly addresses = new WeakMap<Float32Array, number>();
  /** the first bytes hold the workers' control block */
  private top = CONTROL_BYTES;

  /** `splitMinWork`: calls with less work than this stay on the caller (tests set 0 to split every call). */
  constructor(
    threads: number,
    private readonly splitMinWork = SPLIT_MIN_WORK,
  ) {
    const inst = new wasm.Instance(kernelModule(), { env: { memory: this.memory } });
    this.kernels = inst.exports as Arena['kernels'];
    this.threads = Math.max(1, Math.floor(threads));
    this.workers =
      this.threads > 1
        ? new KernelThreads(kernelModule(), this.memory, this.threads - 1, Object.keys(inst.exports))
        : null;
  }

  private reserve(bytes: number): number {
    const ptr = this.top;
    this.top += Math.ceil(bytes / 64) * 64; // 64-byte aligned: whole cache lines, v128-aligned rows
    const pages = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    return ptr;
  }

  /** A zeroed float32 buffer of n elements. */
  floats(n: number): Buf {
    const ptr = this.reserve(n * 4);
    const f = new Float32Array(this.memory.buffer, ptr, n);
    this.addresses.set(f, ptr);
    return { ptr, f };
  }

  /** The byte address of a view made by `floats` (undefined for any other array). */
  addressOf(f: Float32Array): number | undefined {
    return this.addresses.get(f);
  }

  triples(cap: number): Triples {
    const ptr = this.reserve(cap * 12);
    return {
      ptr,
      i: new Int32Array(this.memory.buffer, ptr, cap * 3),
      v: new Float32Array(this.memory.buffer, ptr, cap * 3),
      cap,
    };
  }

  /** Bytes of memory in use (for the memory estimate and the bench). */
  bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * For each of the first n triples (d, s, v): dst[d/4 + j] += v * src[s/4 + j] for j in [0, cols),
   * split by columns over the threads. With `tileBytes`, src is tiled (./wasm-tiles.ts: cols a multiple of
   * TILE, source offsets row * TILE * 4) and the register-blocked kernel runs, whole tiles per thread.
   */
  axpy(t: Triples, n: number, dst: Buf, src: Buf, cols: number, tileBytes = 0): void {
    if (n === 0 || cols === 0) return;
    const parts = this.workers && n * cols >= this.splitMinWork ? this.threads : 1;
    const kernel = tileBytes ? 'axpy_tiles' : 'axpy_rows';
    const args = tileBytes ? [t.ptr, n, dst.ptr, src.ptr, tileBytes] : [t.ptr, n, dst.ptr, src.ptr];
    const align = tileBytes ? TILE : 4;
    const run = this.kernels[kernel];
    if (parts === 1) {
      run(...args, 0, cols * 4);
      return;
    }
    // column ranges on `align`-float boundaries (whole v128 lanes or tiles); the caller takes the first
    const step = Math.ceil(cols / parts / align) * align;
    const ranges: [number, number][] = [];
    for (let p = 1; p < parts; p++) ranges.push([Math.min(cols, p * step) * 4, Math.min(cols, (p + 1) * step) * 4]);
    this.workers!.start(kernel, args, COLUMNS, ranges);
    run(...args, 0, Math.min(cols, step) * 4);
    this.workers!.wait();
  }

  /**
   * An element-wise kernel split by element ranges over the threads: `args[layout.countIndex]` is the
   * byte count (a multiple of 16), the pointer arguments of layout.ptrMask are shifted per thread.
   * Each element is computed by one thread with the same ops: the result does not depend on the split.
   */
  elementwise(name: string, args: number[], layout: Omit<JobLayout, 'mode'>): void {
    const bytes = args[layout.countIndex];
    const parts = this.workers && bytes / 4 >= this.splitMinWork / 8 ? this.threads : 1;
    if (parts === 1 || bytes === 0) {
      this.kernels[name](...args);
      return;
    }
    const step = Math.ceil(bytes / parts / 16) * 16; // whole v128 lanes
    const ranges: [number, number][] = [];
    for (let p = 1; p < parts; p++)
      ranges.push([Math.min(bytes, p * step), Math.max(0, Math.min(bytes, (p + 1) * step) - p * step)]);
    this.workers!.start(name, args, { ...layout, mode: 'elements' }, ranges);
    const own = args.slice();
    own[layout.countIndex] = Math.min(bytes, step);
    this.kernels[name](...own);
    this.workers!.wait();
  }

  /**
   * Kernel `name`(...args, r0, r1) over [0, total) split into contiguous ranges (multiples of `align`)
   * over the threads, the caller taking the first; for kernels where each output element belongs to one
   * range (`work`: multiply-adds, compared with splitMinWork; `floatMask`: bit k set = args[k] is a float32).
   */
  split(name: string, args: number[], floatMask: number, total: number, align: number, work: number): void {
    const parts = this.workers && work >= this.splitMinWork ? this.threads : 1;
    const step = Math.ceil(total / parts / align) * align;
    if (parts === 1 || step >= total) {
      this.kernels[name](...args, 0, total);
      return;
    }
    const ranges: [number, number][] = [];
    for (let p = 1; p < parts; p++) ranges.push([Math.min(total, p * step), Math.min(total, (p + 1) * step)]);
    this.workers!.start(name, args, { ...COLUMNS, floatMask }, ranges);
    this.kernels[name](...args, 0, step);
    this.workers!.wait();
  }

  /** dst = src [rows, cols] (cols a multiple of TILE) in the tiled layout of ./wasm-tiles.ts. */
  toTiles(src: Buf, dst: Buf, rows: number, cols: number): void {
    this.split('to_tiles', [src.ptr, dst.ptr, rows, cols * 4], 0, cols / TILE, 1, rows * cols);
  }

  dispose(): void {
    this.workers?.dispose();
  }
}
