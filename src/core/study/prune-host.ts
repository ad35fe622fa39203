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
import type { Worker } from 'node:worker_threads';
import { combinePrunedParts, type PartOf, type PrunedEvaluation, type PrunedPart } from '../prune/post-training';
import { JobWorker, startWorker, workerEntryUrl } from '../util/job-worker';
import type { PruneJob } from './evaluate';

/** Host -> worker: evaluate part `part` of job `id`'s test split. */
export interface HostToPruneWorker {
  id: number;
  job: PruneJob;
  part: PartOf;
}

/** Worker -> host: the raw sums of job `id` on its part, or its error. */
export type PruneWorkerToHost =
  { id: number; parts: PrunedPart[]; error?: undefined } | { id: number; error: { name: string; message: string } };

/** One worker thread, started on demand, evaluating parts of jobs in order. */
const PruneThread = JobWorker<Omit<HostToPruneWorker, 'id'>, PruneWorkerToHost, PrunedPart[]>;
type PruneThread = InstanceType<typeof PruneThread>;

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
    if (!(Number.isInteger(threads) && threads >= 1))
      throw new Error(`threads must be an integer >= 1, got ${threads}`);
    this.threads = Array.from(
      { length: threads },
      () => new PruneThread({ start: createWorker, label: 'pruning worker', result: (msg) => msg.parts, idleMs }),
    );
  }

  /** Evaluates one job in the workers; rejects with a worker's error (same name and message). */
  readonly evaluate = async (job: PruneJob): Promise<PrunedEvaluation[]> => {
    if (this.closed) throw new Error('the pruning worker is closed');
    const of = this.threads.length;
    const parts = await Promise.all(this.threads.map((t, index) => t.run({ job, part: { index, of } })));
    return combinePrunedParts(parts);
  };

  /** Rejects pending jobs and terminates the workers (idempotent). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

/**
 * The worker next to this module: `prune-worker.js` in a bundle (electron-vite entry), the `.ts`
 * source otherwise, bootstrapped through tsx as worker-host.ts does for training.
 */
function createWorker(): Worker {
  return startWorker(workerEntryUrl('prune-worker', import.meta.url));
}
