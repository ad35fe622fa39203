/**
 * Pruning evaluations off the calling thread: one long-lived `node:worker_threads` Worker
 * (./prune-worker.ts) that loads TensorFlow.js once and serves jobs in order. The Electron main
 * process uses it so a pruning request never blocks its event loop; the worker is terminated
 * after `idleMs` without work and restarted on the next job.
 */
import { Worker } from 'node:worker_threads';
import type { PrunedEvaluation } from '../prune/post-training';
import type { PruneJob } from './evaluate';

/** Host -> worker. */
export interface HostToPruneWorker {
  id: number;
  job: PruneJob;
}

/** Worker -> host: the results of job `id`, or its error. */
export type PruneWorkerToHost =
  | { id: number; results: PrunedEvaluation[]; error?: undefined }
  | { id: number; error: { name: string; message: string } };

interface Pending {
  resolve: (r: PrunedEvaluation[]) => void;
  reject: (e: Error) => void;
}

/** One evaluation worker, started on demand. `evaluate` is a PruneEvaluator (bound, safe to pass around). */
export class PruneWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  /** @param idleMs terminate the worker after this long without jobs (default 60 s) */
  constructor(private readonly idleMs = 60_000) {}

  /** Evaluates one job in the worker; rejects with the worker's error (same name and message). */
  readonly evaluate = (job: PruneJob): Promise<PrunedEvaluation[]> => {
    if (this.closed) return Promise.reject(new Error('the pruning worker is closed'));
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    worker.ref();
    const id = this.nextId++;
    return new Promise<PrunedEvaluation[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job } satisfies HostToPruneWorker);
    });
  };

  /** Rejects pending jobs and terminates the worker (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.failAll(new Error('the pruning worker was closed'));
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = createWorker();
    worker.on('message', (msg: PruneWorkerToHost) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else p.resolve(msg.results);
      if (this.pending.size === 0) this.idle(worker);
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`the pruning worker exited unexpectedly (exit code ${code})`)));
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
 * The worker next to this module: `prune-worker.js` in a bundle (electron-vite entry), the `.ts`
 * source otherwise, bootstrapped through tsx as worker-host.ts does for training.
 */
function createWorker(): Worker {
  const ext = new URL(import.meta.url).pathname.endsWith('.ts') ? 'ts' : 'js';
  const url = new URL(`./prune-worker.${ext}`, import.meta.url);
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
