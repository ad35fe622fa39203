/**
 * Worker-thread plumbing shared by the hosts: starting a worker module from source (.ts, through
 * tsx) or from the bundle (.js, an electron-vite entry next to the main bundle), and JobWorker, a
 * long-lived worker that serves request/response jobs in order.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The worker module `name` next to the module whose `import.meta.url` is `base`: `<name>.js` in a
 * bundle, `<name>.ts` when running from source. Call it with the caller's own import.meta.url.
 */
export function workerEntryUrl(name: string, base: string): URL {
  const ext = new URL(base).pathname.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./${name}.${ext}`, base);
}

/**
 * Starts the worker module at `url`. A bundled `.js` module is loaded directly; Node 20 does not
 * apply `--import tsx` hooks to a worker's entry module, so a `.ts` one is bootstrapped: register
 * tsx's ESM hooks inside the worker, then import the TypeScript module.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const code =
    `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(code, { ...options, eval: true, execArgv: [] });
}

function tsxApiUrl(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // some runners (vite-node) lack import.meta.resolve: fall back to the package layout
    return new URL('../../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url).href;
  }
}

/** A worker's error, sent back in place of a result (rethrown on the host with the same name and message). */
export interface JobError {
  name: string;
  message: string;
}

/** Worker -> host: the reply to job `id`; `error` is set when the job failed. */
export interface JobReply {
  id: number;
  error?: JobError;
}

export interface JobWorkerOptions<Reply extends JobReply, Result> {
  /** starts a fresh worker thread (see startWorker) */
  start: () => Worker;
  /** names the worker in errors, e.g. "pruning worker" -> "the pruning worker is closed" */
  label: string;
  /** the result of a successful reply */
  result: (reply: Exclude<Reply, { error: JobError }>) => Result;
  /** terminate the worker after this long without jobs (default 60 s) */
  idleMs?: number;
}

/**
 * One worker thread, started on demand, that serves jobs in order: `run(request)` posts
 * `{ id, ...request }` and settles when the worker replies with the same `id`. After `idleMs`
 * without pending jobs the worker is terminated (and restarted by the next job); if it crashes or
 * exits, every pending job is rejected.
 */
export class JobWorker<Request extends object, Reply extends JobReply, Result> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly idleMs: number;

  constructor(private readonly opts: JobWorkerOptions<Reply, Result>) {
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** Runs one job in the worker; rejects with the worker's error (same name and message). */
  run(request: Request): Promise<Result> {
    if (this.closed) return Promise.reject(new Error(`the ${this.opts.label} is closed`));
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    worker.ref();
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  /** Rejects pending jobs and terminates the worker (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.failAll(new Error(`the ${this.opts.label} was closed`));
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.opts.start();
    worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else p.resolve(this.opts.result(msg as Exclude<Reply, { error: JobError }>));
      if (this.pending.size === 0) this.idle(worker);
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) =>
      this.lost(worker, new Error(`the ${this.opts.label} exited unexpectedly (exit code ${code})`)),
    );
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
