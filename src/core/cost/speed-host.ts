/**
 * Speed measurements off the calling thread: a JobWorker running ./speed-worker.ts, so the lab
 * (Electron main, the browser-mode server) keeps answering while a form's new network is measured
 * (the paper's networks take seconds each). Terminated after a minute without work.
 */
import type { Worker } from 'node:worker_threads';
import type { RunConfig } from '../../shared/run-config';
import { JobWorker, startWorker, workerEntryUrl, type JobError } from '../util/job-worker';

export interface HostToSpeedWorker {
  id: number;
  config: RunConfig;
}

export type SpeedWorkerToHost =
  { id: number; samplesPerSec: number; error?: undefined } | { id: number; error: JobError };

export class SpeedWorker {
  private readonly thread = new JobWorker<Omit<HostToSpeedWorker, 'id'>, SpeedWorkerToHost, number>({
    start: createWorker,
    label: 'speed worker',
    result: (msg) => msg.samplesPerSec,
  });

  /** Training images per second of `config`'s network, measured in the worker (a MeasureSpeed). */
  readonly measure = (config: RunConfig): Promise<number> => this.thread.run({ config });

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** `speed-worker.js` next to the bundle (an electron-vite entry), the `.ts` source otherwise. */
function createWorker(): Worker {
  return startWorker(workerEntryUrl('speed-worker', import.meta.url));
}
