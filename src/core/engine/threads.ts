import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api';

/*
 * Control block at byte 0 of the shared memory (CONTROL_BYTES), 32-bit slots:
 *   0 seq (bumped by the host to start a job)   1 done (workers that finished the current job)
 *   2 kernel (index into the names list)        3 argument count   4 float-argument bit mask
 *   5 pointer-argument bit mask                 6 index of the byte-count argument
 *   7 mode: 0 = column split (axpy_rows gets [j0, j1) appended), 1 = element split (pointers shifted by
 *     the worker's byte offset, the count set to its byte length)
 *   8 … 23 arguments (int32 or float32 bits)    24 + 2k, 25 + 2k: worker k's range
 */
export const CONTROL_BYTES = 256;
const SEQ = 0;
const DONE = 1;
const FN = 2;
const NARGS = 3;
const FLOATS = 4;
const PTRS = 5;
const COUNT = 6;
const MODE = 7;
const ARGS = 8;
const RANGES = 24;

/** How a job's arguments are split among the threads. */
export interface JobLayout {
  mode: 'columns' | 'elements';
  /** bit k set: argument k is a float32 */
  floatMask: number;
  /** elements: bit k set: argument k is a byte address shifted by each thread's offset */
  ptrMask: number;
  /** elements: the argument holding the byte count */
  countIndex: number;
}

/**
 * The workers' code: plain JavaScript evaluated as the worker's entry (no file to bundle or locate,
 * no TypeScript loader needed). Each worker instantiates the same module on the same shared memory,
 * then sleeps in Atomics.wait until the host bumps `seq`.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, index, names } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => ex[n]);
const c = new Int32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
const f = new Float32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  if (seen < 0) break;
  const n = c[${NARGS}], fm = c[${FLOATS}], pm = c[${PTRS}];
  const a = new Array(n);
  for (let k = 0; k < n; k++) a[k] = (fm >> k) & 1 ? f[${ARGS} + k] : c[${ARGS} + k];
  const r0 = c[${RANGES} + 2 * index], r1 = c[${RANGES + 1} + 2 * index];
  if (c[${MODE}] === 0) {
    if (r1 > r0) fns[c[${FN}]](...a, r0, r1);
  } else if (r1 > 0) {
    for (let k = 0; k < n; k++) if ((pm >> k) & 1) a[k] += r0;
    a[c[${COUNT}]] = r1;
    fns[c[${FN}]](...a);
  }
  Atomics.add(c, ${DONE}, 1);
  Atomics.notify(c, ${DONE});
}
`;

/** threads - 1 kernel workers, started once per engine and parked between jobs. */
export class KernelThreads {
  private readonly ctl: Int32Array;
  private readonly ctlF: Float32Array;
  private readonly workers: Worker[];
  private seq = 0;

  constructor(
    module: WasmModule,
    memory: WasmMemory,
    count: number,
    private readonly names: string[],
  ) {
    if (count > 4) throw new Error('at most 5 threads');
    this.ctl = new Int32Array(memory.buffer as SharedArrayBuffer, 0, CONTROL_BYTES / 4);
    this.ctlF = new Float32Array(memory.buffer as SharedArrayBuffer, 0, CONTROL_BYTES / 4);
    this.workers = Array.from({ length: count }, (_, index) => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, index, names } });
      w.unref(); // a parked worker never keeps the process alive
      return w;
    });
  }

  /** Starts every worker on kernel `name` with `args` and its range (columns [j0, j1) or elements [offset, length]). */
  start(name: string, args: number[], layout: JobLayout, ranges: [number, number][]): void {
    const c = this.ctl;
    c[FN] = this.names.indexOf(name);
    c[NARGS] = args.length;
    c[FLOATS] = layout.floatMask;
    c[PTRS] = layout.ptrMask;
    c[COUNT] = layout.countIndex;
    c[MODE] = layout.mode === 'columns' ? 0 : 1;
    args.forEach((v, k) => {
      if ((layout.floatMask >> k) & 1) this.ctlF[ARGS + k] = v;
      else c[ARGS + k] = v;
    });
    for (let k = 0; k < this.workers.length; k++) {
      c[RANGES + 2 * k] = ranges[k]?.[0] ?? 0;
      c[RANGES + 2 * k + 1] = ranges[k]?.[1] ?? 0;
    }
    Atomics.store(c, DONE, 0);
    this.seq = (this.seq + 1) & 0x3fffffff;
    Atomics.store(c, SEQ, this.seq);
    Atomics.notify(c, SEQ);
  }

  /** Blocks until every worker finished the job started last. */
  wait(): void {
    const c = this.ctl;
    const n = this.workers.length;
    for (let done = Atomics.load(c, DONE); done < n; done = Atomics.load(c, DONE)) Atomics.wait(c, DONE, done);
  }

  dispose(): void {
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers) void w.terminate();
  }
}
