/**
 * Starts one of the embedding's workers. `create` must contain the literal
 * `new Worker(new URL('./x.worker.ts', import.meta.url), …)` so Vite bundles the worker. When the
 * worker cannot start or fails later (e.g. workers blocked), it is dropped and `onFail` runs, so the
 * caller can redo its in-flight job on the main thread; the result is then null.
 */
export function startWorker<R>(
  create: () => Worker,
  onMessage: (result: R) => void,
  onFail: () => void,
): Worker | null {
  try {
    const worker = create();
    worker.onmessage = (e: MessageEvent<R>) => onMessage(e.data);
    worker.onerror = () => {
      worker.terminate();
      onFail();
    };
    return worker;
  } catch {
    return null;
  }
}

/**
 * One job at a time on a worker started with startWorker (on this thread once the worker is gone),
 * and only the newest waiting job kept: a slow machine skips intermediate jobs instead of queueing
 * them. When a result arrives the waiting job is sent first, then `onResult` runs, so a job that
 * `onResult` submits is the newest and wins.
 */
export class LatestJob<J, R> {
  private worker: Worker | null;
  /** the job computing now */
  current: J | null = null;
  private waiting: J | null = null;

  constructor(
    create: () => Worker,
    private readonly send: (worker: Worker, job: J) => void,
    /** the job's result on this thread (no worker) */
    private readonly compute: (job: J) => R,
    private readonly onResult: (job: J, result: R) => void,
  ) {
    this.worker = startWorker<R>(
      create,
      (r) => this.receive(r),
      () => {
        this.worker = null;
        const job = this.current;
        this.current = null;
        if (job) this.submit(job);
      },
    );
  }

  /** a job is computing or waiting */
  get busy(): boolean {
    return this.current !== null || this.waiting !== null;
  }

  get hasWaiting(): boolean {
    return this.waiting !== null;
  }

  submit(job: J): void {
    if (this.current) {
      this.waiting = job;
      return;
    }
    this.current = job;
    if (this.worker) {
      this.send(this.worker, job);
      return;
    }
    const result = this.compute(job);
    queueMicrotask(() => this.receive(result));
  }

  /** forgets the waiting job (the one computing still reports) */
  dropWaiting(): void {
    this.waiting = null;
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
    this.waiting = null;
  }

  private receive(result: R): void {
    const job = this.current;
    this.current = null;
    const next = this.waiting;
    this.waiting = null;
    if (next) this.submit(next);
    if (job) this.onResult(job, result);
  }
}
