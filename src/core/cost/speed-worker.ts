/**
 * Worker-thread entry of SpeedWorker (./speed-host.ts): measures a network's training speed (a few
 * batches, core/cost/speed.ts) off the lab's event loop. Protocol: host -> worker { id, config };
 * worker -> host { id, samplesPerSec } or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import { measureLocally } from './speed';
import type { HostToSpeedWorker, SpeedWorkerToHost } from './speed-host';

const port = parentPort;
if (!port) throw new Error('speed-worker.ts must run inside a worker thread');

port.on('message', (msg: HostToSpeedWorker) => {
  const reply = (m: SpeedWorkerToHost): void => port.postMessage(m);
  measureLocally(msg.config).then(
    (samplesPerSec) => reply({ id: msg.id, samplesPerSec }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ id: msg.id, error: { name: e.name, message: e.message } });
    },
  );
});
