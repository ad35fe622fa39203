/**
 * Worker-thread entry: trains one run and reports through `parentPort` (protocol in worker-host.ts).
 * Order: 'ready' (backend up, data loaded) -> 'batch'/'epoch' ... -> 'done' | 'error'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LabValidationError } from '../../shared/schema/errors';
import { loadDataset } from '../data/index';
import type { Dataset } from '../data/types';
import { countParams } from '../model/param-count';
import { initBackend } from './backend';
import { trainModel } from './trainer';
import { trainingBackend } from './engines';
import type { EpochResult } from './types';
import {
  STOP_AFTER_EPOCH,
  STOP_NOW,
  type HostToWorker,
  type ReadyInfo,
  type WorkerInput,
  type WorkerToHost,
} from './worker-host';

const port = parentPort;
if (!port) throw new Error('train-worker.ts must run inside a worker thread');

const input = workerData as WorkerInput;
/** stop now (after the batch) */
const controller = new AbortController();
/** stop after the epoch in progress */
const afterEpoch = new AbortController();

port.on('message', (msg: HostToWorker) => {
  if (msg.type === 'stop') (msg.mode === 'epoch' ? afterEpoch : controller).abort();
});

/** The host also raises a shared flag, so a stop is seen even while the trainer keeps the event loop busy. */
function checkStopFlag(): void {
  const flag = Atomics.load(input.stopFlag, 0);
  if (!controller.signal.aborted && flag === STOP_NOW) controller.abort();
  if (!afterEpoch.signal.aborted && flag === STOP_AFTER_EPOCH) afterEpoch.abort();
}

function post(msg: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

/** Transfer a buffer only when the view covers all of it (never detach memory something else uses). */
function owned(bytes: Uint8Array): { bytes: Uint8Array; buffer: ArrayBuffer } {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const own = whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
  return { bytes: own, buffer: own.buffer as ArrayBuffer };
}

function checkShapes(data: Dataset): void {
  const layers = input.config.model.layers;
  const pixels = data.rows * data.cols;
  if (layers[0] !== pixels) {
    throw new LabValidationError(
      `model.layers[0] is ${layers[0]} but the data set's images have ${pixels} pixels (${data.rows}x${data.cols})`,
      { field: 'model.layers[0]' },
    );
  }
  const out = layers[layers.length - 1];
  if (out < data.classes) {
    const at = data.largestLabel;
    if (at) {
      throw Object.assign(
        new Error(
          `${at.file} index ${at.index} has label ${at.label} but the output layer has ${out} neurons ` +
            `(labels 0..${out - 1}); the data set has ${data.classes} classes`,
        ),
        { name: 'DatasetError' },
      );
    }
    throw new LabValidationError(`the output layer has ${out} neurons but the data set has ${data.classes} classes`, {
      field: `model.layers[${layers.length - 1}]`,
    });
  }
}

function sendEpoch(e: EpochResult): void {
  const checkpoint = owned(e.checkpoint);
  const transfer = [checkpoint.buffer];
  const snapshot = e.snapshot ? owned(e.snapshot) : undefined;
  if (snapshot) transfer.push(snapshot.buffer);
  post(
    {
      type: 'epoch',
      metrics: e.metrics,
      checkpoint: checkpoint.bytes,
      snapshot: snapshot?.bytes,
      analysis: e.analysis,
    },
    transfer,
  );
}

async function run(): Promise<void> {
  const backend = trainingBackend(input.config, await initBackend());
  const data = loadDataset(input.config.dataset);
  checkShapes(data);
  const dataset: ReadyInfo['dataset'] = {
    name: data.name,
    trainCount: data.train.count,
    testCount: data.test.count,
    classes: data.classes,
    rows: data.rows,
    cols: data.cols,
  };
  post({ type: 'ready', backend, params: countParams(input.config.model), dataset });
  checkStopFlag();
  const result = await trainModel({
    config: input.config,
    data,
    signal: controller.signal,
    stopAfterEpoch: afterEpoch.signal,
    resume: input.resume,
    livePositionsMs: input.livePositionsMs,
    callbacks: {
      onStart: (info) => {
        const snap = info.initialSnapshot ? owned(info.initialSnapshot) : undefined;
        post(
          {
            type: 'start',
            startEpoch: info.startEpoch,
            initialSnapshot: snap?.bytes,
            initialAnalysis: info.initialAnalysis,
          },
          snap ? [snap.buffer] : [],
        );
      },
      onBatch: (p) => {
        post({ type: 'batch', ...p });
        checkStopFlag();
      },
      onPositions: input.livePositionsMs
        ? (pos) => {
            const snap = owned(pos.snapshot);
            post({ type: 'positions', epoch: pos.epoch, batch: pos.batch, snapshot: snap.bytes }, [snap.buffer]);
          }
        : undefined,
      onEpoch: (e) => {
        sendEpoch(e);
        checkStopFlag();
      },
      onStep: (point) => post({ type: 'steps', points: [point] }),
      onInterrupt: (p) => {
        const checkpoint = owned(p.checkpoint);
        post({ type: 'interrupt', epoch: p.epoch, batch: p.batch, checkpoint: checkpoint.bytes }, [checkpoint.buffer]);
      },
    },
  });
  const model = owned(result.finalModel);
  post(
    {
      type: 'done',
      result: { status: result.status, epochs: result.epochs, finalModel: model.bytes, backend: result.backend },
    },
    [model.buffer],
  );
}

// The host terminates this thread once it has 'done' or 'error'; closing the port here could drop them.
run().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', message: e.message, name: e.name, stack: e.stack });
});
