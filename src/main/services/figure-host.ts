/**
 * Figure rendering and spike recording off the calling thread: one long-lived worker thread
 * (./figure-worker.ts), started on demand and ended after `idleMs` without work (the same pattern
 * as core's PruneWorker). Jobs run in order. The bundle ships the worker as
 * `out/main/figure-worker.js` (an entry in electron.vite.config.ts).
 */
import type { Worker } from 'node:worker_threads';
import { JobWorker, startWorker, workerEntryUrl } from '../../core/util/job-worker';
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

/** Runs a job somewhere: a FigureWorker's `run`, or `runJob` in the calling thread. */
export type FigureJobRunner = <J extends FigureWorkerJob>(job: J) => Promise<FigureWorkerResult<J>>;

/** One figure worker, started on demand. `run` is bound (safe to pass around). */
export class FigureWorker {
  private readonly jobs: JobWorker<
    Omit<FigureHostToWorker, 'id'>,
    FigureWorkerToHost,
    FigureJobResult | SpikesJobResult
  >;

  /** @param idleMs terminate the worker after this long without jobs (default 60 s) */
  constructor(idleMs = 60_000) {
    this.jobs = new JobWorker({ start: createWorker, label: 'figure worker', result: (msg) => msg.result, idleMs });
  }

  /** Runs one job in the worker; rejects with the worker's error (same name and message). */
  readonly run: FigureJobRunner = <J extends FigureWorkerJob>(job: J) =>
    this.jobs.run({ job }) as Promise<FigureWorkerResult<J>>;

  /** Rejects pending jobs and terminates the worker (idempotent). */
  close(): Promise<void> {
    return this.jobs.close();
  }
}

/**
 * The worker next to this module: `figure-worker.js` in a bundle, the `.ts` source otherwise
 * (bootstrapped through tsx, see startWorker).
 */
function createWorker(): Worker {
  return startWorker(workerEntryUrl('figure-worker', import.meta.url));
}
