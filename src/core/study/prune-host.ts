/**
 * Pruning evaluations off the calling thread: long-lived `node:worker_threads` Workers
 * (./prune-worker.ts) that load TensorFlow.js once and serve jobs in order. The Electron main
 * process uses them so a pruning request never blocks its event loop; a worker is terminated
 * after `idleMs` without work and restarted on the next job.
 *
 * The wasm backend computes on one core per thread, so each job is split over the workers (two
 * by default, on a machine with two or more cores): every worker evaluates the same pruned copies
 * on its share of the test images (whole evaluation chunks, see testRange) and the host adds the
 * raw sums in order — the results are exactly those of one `evaluatePruned` call.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { combinePrunedParts, type PartOf, type PrunedEvaluation, type PrunedPart } from '../prune/post-training';
import type { PruneJob } from './evaluate';

/** Host -> worker: evaluate part `part` of job `id`'s test split. */
export interface HostToPruneWorker {
  id: number;
  job: PruneJob;
  part: PartOf;
}

/** Worker -> host: the raw sums of job `id` on its part, or its error. */
export type PruneWorkerToHost =
  | { id: number; parts: PrunedPart[]; error?: undefined }
  | { id: number; error: { name: string; message: string } };

interface Pending {
  resolve: (r: PrunedPart[]) => void;
  reject: (e: Error) => void;
}

/** Workers per PruneWorker by default: two when the machine has two cores or more. */
export function defaultPruneThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * Evaluation workers, started on demand. `evaluate` is a PruneEvaluator (bound, safe to pass around).
 * @param idleMs terminate a worker after this long without jobs (default 60 s)
 * @param threads workers a job is split over (default defaultPruneThreads())
 */
export class PruneWorker {
  private readonly threads: PruneThread[];
  private closed = false;

  constructor(idleMs = 60_000, threads = defaultPruneThreads()) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`threads must be an integer >= 1, got ${threads}`);
    this.threads = Array.from({ length: threads }, () => new PruneThread(idleMs));
  }

  /** Evaluates one job in the workers; rejects with a worker's error (same name and message). */
  readonly evaluate = async (job: PruneJob): Promise<PrunedEvaluation[]> => {
    if (this.closed) throw new Error('the pruning worker is closed');
    const of = this.threads.length;
    const parts = await Promise.all(this.threads.map((t, index) => t.run(job, { index, of })));
    return combinePrunedParts(parts);
  };

  /** Rejects pending jobs and terminates the workers (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

/** One worker thread, started on demand; jobs run in order. */
class PruneThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly idleMs: number) {}

  /** Evaluates part `part` of one job in the worker; rejects with the worker's error (same name and message). */
  run(job: PruneJob, part: PartOf): Promise<PrunedPart[]> {
    if (this.closed) return Promise.reject(new Error('the pruning worker is closed'));
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    worker.ref();
    const id = this.nextId++;
    return new Promise<PrunedPart[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job, part } satisfies HostToPruneWorker);
    });
  }

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
      else p.resolve(msg.parts);
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
