/**
 * Worker-thread entry of FigureWorker (./figure-host.ts): renders figures and records spikes one
 * job at a time, so the Electron main thread never runs TensorFlow.js or the PDF/PNG writers.
 * Protocol: host -> worker { id, job }; worker -> host { id, result } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { runJob } from './figure-jobs';
import type { FigureHostToWorker, FigureWorkerToHost } from './figure-host';

const port = parentPort;
if (!port) throw new Error('figure-worker.ts must run inside a worker thread');

port.on('message', (msg: FigureHostToWorker) => {
  const { id, job } = msg;
  const reply = (m: FigureWorkerToHost): void => port.postMessage(m);
  runJob(job).then(
    (result) => reply({ id, result }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ id, error: { name: e.name, message: e.message } });
    },
  );
});
