import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api';

/*
 * Control block at byte 0 of the shared memory, Int32 slots:
 *   0 seq (bumped by the host to start a job)   1 done (workers that finished the current job)
 *   2 trip  3 n  4 dst  5 src                   8 + 2k, 9 + 2k: byte range [j0, j1) of worker k
 */
const SEQ = 0;
const DONE = 1;
const ARGS = 2;
const RANGES = 8;

/**
 * The workers' code: plain JavaScript evaluated as the worker's entry (no file to bundle or locate,
 * no TypeScript loader needed). Each worker instantiates the same module on the same shared memory,
 * then sleeps in Atomics.wait until the host bumps `seq`.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, index } = workerData;
const axpy = new WebAssembly.Instance(module, { env: { memory } }).exports.axpy_rows;
const c = new Int32Array(memory.buffer, 0, 16);
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  if (seen < 0) break;
  const j0 = c[${RANGES} + 2 * index], j1 = c[${RANGES + 1} + 2 * index];
  if (j1 > j0) axpy(c[${ARGS}], c[${ARGS + 1}], c[${ARGS + 2}], c[${ARGS + 3}], j0, j1);
  Atomics.add(c, ${DONE}, 1);
  Atomics.notify(c, ${DONE});
}
`;

/** threads - 1 kernel workers, started once per engine and parked between jobs. */
export class KernelThreads {
  private readonly ctl: Int32Array;
  private readonly workers: Worker[];
  private seq = 0;

  constructor(module: WasmModule, memory: WasmMemory, count: number) {
    if (count > 4) throw new Error('at most 5 threads');
    this.ctl = new Int32Array(memory.buffer as SharedArrayBuffer, 0, 16);
    this.workers = Array.from({ length: count }, (_, index) => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, index } });
      w.unref(); // a parked worker never keeps the process alive
      return w;
    });
  }

  /** Starts every worker on args [trip, n, dst, src] with its byte column range. */
  start(args: number[], ranges: [number, number][]): void {
    const c = this.ctl;
    for (let k = 0; k < 4; k++) c[ARGS + k] = args[k];
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
