/**
 * Worker-thread entry: trains one run and reports through `parentPort` (protocol in worker-host.ts).
 * Order: 'ready' (backend up, data loaded) -> 'batch'/'epoch' ... -> 'done' | 'error'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LabValidationError } from '../../shared/schema/errors';
import { datasetFitProblems } from '../../shared/dataset-fit';
import { BUILTIN_DATASETS, datasetLabel, datasetShape, loadDataset } from '../data/index';
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

/**
 * The data-dependent checks of src/shared/dataset-fit.ts (the form's and checkConfig's words), before
 * loading; the class count is left to checkShapes, which can name the label file and index.
 */
function checkFit(): void {
  const problems = datasetFitProblems(input.config, datasetShape(input.config.dataset.name));
  const last = `model.layers[${input.config.model.layers.length - 1}]`;
  const first = problems.find((p) => p.field !== last);
  if (first) throw new LabValidationError(first.message, { field: first.field });
}

function checkShapes(data: Dataset): void {
  const shape = {
    label: datasetLabel(input.config.dataset.name),
    rows: data.rows,
    cols: data.cols,
    classes: data.classes,
    trainCount: data.train.count,
    testCount: data.test.count,
  };
  const [first] = datasetFitProblems(input.config, shape);
  if (!first) return;
  const at = data.largestLabel;
  const out = input.config.model.layers[input.config.model.layers.length - 1];
  const folder = !(BUILTIN_DATASETS as readonly string[]).includes(input.config.dataset.name);
  if (first.field !== 'model.layers[0]' && at && folder) {
    // a folder's labels: say which label needs the extra output neurons
    const where = `${at.file} index ${at.index} has label ${at.label} but the output layer has ${out} neurons`;
    throw Object.assign(new Error(`${first.message}: ${where} (labels 0..${out - 1})`), { name: 'DatasetError' });
  }
  throw new LabValidationError(first.message, { field: first.field });
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
  checkFit();
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
