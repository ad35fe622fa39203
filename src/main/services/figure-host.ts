/**
 * Figure rendering and spike recording off the calling thread: one long-lived worker thread
 * (./figure-worker.ts), started on demand and ended after `idleMs` without work (the same pattern
 * as core's PruneWorker). Jobs run in order. The bundle ships the worker as
 * `out/main/figure-worker.js` (an entry in electron.vite.config.ts).
 */
import { Worker } from 'node:worker_threads';
import type { FigureJobResult, FigureWorkerJob, FigureWorkerResult, SpikesJobResult } from './figure-jobs';

/** Host -> worker. */
export interface FigureHostToWorker {
  id: number;
  job: FigureWorkerJob;
}

/** Worker -> host: the result of job `id`, or its error. */
export type FigureWorkerToHost =
  | { id: number; result: FigureJobResult | SpikesJobResult; error?: undefined }
  | { id: number; error: { name: string; message: string } };

interface Pending {
  resolve: (r: FigureJobResult | SpikesJobResult) => void;
  reject: (e: Error) => void;
}

/** Runs a job somewhere: a FigureWorker's `run`, or `runJob` in the calling thread. */
export type FigureJobRunner = <J extends FigureWorkerJob>(job: J) => Promise<FigureWorkerResult<J>>;

/** One figure worker, started on demand. `run` is bound (safe to pass around). */
export class FigureWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  /** @param idleMs terminate the worker after this long without jobs (default 60 s) */
  constructor(private readonly idleMs = 60_000) {}

  /** Runs one job in the worker; rejects with the worker's error (same name and message). */
  readonly run: FigureJobRunner = <J extends FigureWorkerJob>(job: J) => {
    if (this.closed) return Promise.reject(new Error('the figure worker is closed'));
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    worker.ref();
    const id = this.nextId++;
    return new Promise<FigureWorkerResult<J>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      worker.postMessage({ id, job } satisfies FigureHostToWorker);
    });
  };

  /** Rejects pending jobs and terminates the worker (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.failAll(new Error('the figure worker was closed'));
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = createWorker();
    worker.on('message', (msg: FigureWorkerToHost) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else p.resolve(msg.result);
      if (this.pending.size === 0) this.idle(worker);
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`the figure worker exited unexpectedly (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** No jobs left: let the process exit without it, and end it after idleMs. */
  private idle(worker: Worker): void {
    worker.unref();
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = null;
        void worker.terminate();
      }
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, err: Error): void {
    if (this.worker !== worker) return; // terminated on purpose (idle or close)
    this.worker = null;
    this.failAll(err);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/**
 * The worker next to this module: `figure-worker.js` in a bundle, the `.ts` source otherwise,
 * bootstrapped through tsx as core's prune-host.ts does.
 */
function createWorker(): Worker {
  const ext = new URL(import.meta.url).pathname.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`./figure-worker.${ext}`, import.meta.url);
  if (ext === 'js') return new Worker(url);
  const code =
    `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(code, { eval: true, execArgv: [] });
}

function tsxApiUrl(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return new URL('../../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url).href;
  }
}
