/**
 * Worker-thread entry of PruneWorker (./prune-host.ts): evaluates pruning jobs one at a time.
 * Protocol: host -> worker { id, job, part }; worker -> host { id, parts } or { id, error }: the
 * raw sums of the job on part `part` of its test split (the host combines the parts exactly).
 * The last data set loaded is kept, so repeated jobs on one test set (a distance slider) are cheap.
 */
import { parentPort } from 'node:worker_threads';
import { loadDataset } from '../data/index';
import type { Dataset } from '../data/types';
import { evaluatePrunedPart } from '../prune/post-training';
import { canonicalJson } from './configs';
import { testOnly } from './evaluate';
import type { HostToPruneWorker, PruneWorkerToHost } from './prune-host';

const port = parentPort;
if (!port) throw new Error('prune-worker.ts must run inside a worker thread');

let cached: { key: string; data: Dataset } | null = null;

function dataset(spec: Parameters<typeof testOnly>[0]): Dataset {
  const wanted = testOnly(spec);
  const key = canonicalJson(wanted);
  if (cached?.key !== key) cached = { key, data: loadDataset(wanted) };
  return cached.data;
}

port.on('message', (msg: HostToPruneWorker) => {
  const { id, job, part } = msg;
  const reply = (m: PruneWorkerToHost): void => port.postMessage(m);
  Promise.resolve()
    .then(() => {
      const { model, rates, maxDistances, scope } = job;
      return evaluatePrunedPart({ model, data: dataset(job.dataset), rates, maxDistances, scope }, part);
    })
    .then(
      (parts) => reply({ id, parts }),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        reply({ id, error: { name: e.name, message: e.message } });
      },
    );
});
