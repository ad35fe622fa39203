/**
 * Runs one training job in a `node:worker_threads` Worker (see train-worker.ts) and turns its
 * messages into events. The main thread stays free for the store, signals and progress output.
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { BackendName, EpochMetrics, RunConfig } from '../../shared/run-config';
import type { EpochAnalysis } from '../../shared/analysis';
import { startWorker, workerEntryUrl } from '../util/job-worker';
import type { BatchProgress } from './types';
import type { StepPoint } from '../../shared/step-history';

/** What the worker reports once the backend is up and the data set is loaded. */
export interface ReadyInfo {
  backend: BackendName;
  params: number;
  dataset: { name: string; trainCount: number; testCount: number; classes: number; rows: number; cols: number };
}

/** Sent when training begins: the epoch it starts after and, on a fresh spatial run, the epoch-0 snapshot. */
export interface StartMessage {
  startEpoch: number;
  initialSnapshot?: Uint8Array;
  /** wiring and topography of the untrained network (fresh spatial runs) */
  initialAnalysis?: EpochAnalysis;
}

/** Live geometry during an epoch (spatial models; only when `livePositionsMs` was given). */
export interface PositionsMessage {
  epoch: number;
  batch: number;
  /** encodeArrays() bytes, meta { kind: 'snapshot', epoch, batch } */
  snapshot: Uint8Array;
}

/** One finished epoch as sent by the worker (buffers transferred, not copied). */
export interface EpochMessage {
  metrics: EpochMetrics;
  snapshot?: Uint8Array;
  checkpoint: Uint8Array;
  analysis?: EpochAnalysis;
}

/** A stop inside an epoch: a checkpoint that continues from the next batch (meta.partial). */
export interface InterruptMessage {
  epoch: number;
  batch: number;
  checkpoint: Uint8Array;
}

/** The end of a job. `finalModel` is null only when the worker had to be terminated. */
export interface HostResult {
  status: 'completed' | 'interrupted';
  epochs: EpochMetrics[];
  finalModel: Uint8Array | null;
  backend: BackendName | null;
}

/** Messages from the worker to the host. */
export type WorkerToHost =
  | ({ type: 'ready' } & ReadyInfo)
  | ({ type: 'start' } & StartMessage)
  | ({ type: 'batch' } & BatchProgress)
  | ({ type: 'positions' } & PositionsMessage)
  | ({ type: 'epoch' } & EpochMessage)
  | ({ type: 'interrupt' } & InterruptMessage)
  | { type: 'steps'; points: StepPoint[] }
  | { type: 'done'; result: Omit<HostResult, 'finalModel'> & { finalModel: Uint8Array } }
  | { type: 'error'; message: string; name: string; stack?: string };

/** Messages from the host to the worker: stop now (after the batch) or after the epoch in progress. */
export type HostToWorker = { type: 'stop'; mode?: 'now' | 'epoch' };

/** `stopFlag` values: stop after the current batch, or after the epoch in progress. */
export const STOP_NOW = 1;
export const STOP_AFTER_EPOCH = 2;

/** Data every worker starts with. `stopFlag` is a shared Int32Array(1): 0, STOP_NOW or STOP_AFTER_EPOCH. */
export interface WorkerInput {
  config: RunConfig;
  resume?: Uint8Array;
  stopFlag: Int32Array;
  livePositionsMs?: number;
}

export interface StartTrainingOptions {
  config: RunConfig;
  /** checkpoint bytes to continue from (the next epoch) */
  resume?: Uint8Array;
  /** send live positions ('positions' events) at most this often; off when absent or 0 */
  livePositionsMs?: number;
}

interface HostEvents {
  ready: [ReadyInfo];
  start: [StartMessage];
  batch: [BatchProgress];
  positions: [PositionsMessage];
  epoch: [EpochMessage];
  interrupt: [InterruptMessage];
  steps: [{ points: StepPoint[] }];
}

/** A running job. `done` resolves at the end (completed or interrupted) and rejects on errors. */
export interface TrainingHandle {
  on<E extends keyof HostEvents>(event: E, cb: (...args: HostEvents[E]) => void): TrainingHandle;
  /**
   * ask the trainer to stop after the current batch (it sends a mid-epoch checkpoint first);
   * terminate it if it has not finished after `graceMs`
   */
  stop(graceMs?: number): void;
  /** ask the trainer to stop once the epoch in progress is finished (no time limit) */
  stopAfterEpoch(): void;
  /** terminate the worker at once (no final model) */
  kill(): Promise<void>;
  done: Promise<HostResult>;
}

/** Error raised in (or about) the worker; `name` is the original error's name (e.g. "DatasetError"). */
export class WorkerError extends Error {
  constructor(message: string, name = 'Error', stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

/**
 * Start training `config` in a new worker thread.
 * From source (.ts) the worker is bootstrapped through tsx; from a bundle it loads train-worker.js.
 */
export function startTraining(opts: StartTrainingOptions): TrainingHandle {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = {
    config: opts.config,
    resume: opts.resume,
    stopFlag,
    livePositionsMs: opts.livePositionsMs,
  };
  const worker = createWorker(input);
  const emitter = new EventEmitter();
  const epochs: EpochMetrics[] = [];
  let backend: BackendName | null = null;
  let settled = false;
  let stopping = false;
  let forceTimer: NodeJS.Timeout | undefined;

  const done = new Promise<HostResult>((resolvePromise, rejectPromise) => {
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(forceTimer);
      fn();
      void worker.terminate();
    };
    const fail = (err: Error): void => finish(() => rejectPromise(err));
    worker.on('message', (msg: WorkerToHost) => {
      try {
        if (msg.type === 'done') finish(() => resolvePromise({ ...msg.result }));
        else if (msg.type === 'error') fail(new WorkerError(msg.message, msg.name, msg.stack));
        else dispatch(msg);
      } catch (err) {
        fail(err as Error); // a listener threw (e.g. the store failed): stop everything
      }
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => {
      if (stopping && !settled)
        finish(() => resolvePromise({ status: 'interrupted', epochs, finalModel: null, backend }));
      else fail(new WorkerError(`training worker exited unexpectedly (exit code ${code})`, 'WorkerCrash'));
    });
  });

  function dispatch(msg: WorkerToHost): void {
    if (msg.type === 'ready') {
      backend = msg.backend;
      emitter.emit('ready', strip(msg));
    } else if (msg.type === 'start') emitter.emit('start', strip(msg));
    else if (msg.type === 'batch') emitter.emit('batch', strip(msg));
    else if (msg.type === 'positions') emitter.emit('positions', strip(msg));
    else if (msg.type === 'interrupt') emitter.emit('interrupt', strip(msg));
    else if (msg.type === 'steps') emitter.emit('steps', strip(msg));
    else if (msg.type === 'epoch') {
      epochs.push(msg.metrics);
      emitter.emit('epoch', strip(msg));
    }
  }

  const handle: TrainingHandle = {
    on(event, cb) {
      emitter.on(event, cb as (...a: unknown[]) => void);
      return handle;
    },
    stop(graceMs = 30_000) {
      if (settled || stopping) return;
      stopping = true;
      Atomics.store(stopFlag, 0, STOP_NOW);
      worker.postMessage({ type: 'stop', mode: 'now' } satisfies HostToWorker);
      forceTimer = setTimeout(() => void worker.terminate(), graceMs);
      forceTimer.unref();
    },
    stopAfterEpoch() {
      if (settled || stopping) return;
      Atomics.store(stopFlag, 0, STOP_AFTER_EPOCH);
      worker.postMessage({ type: 'stop', mode: 'epoch' } satisfies HostToWorker);
    },
    async kill() {
      stopping = true;
      await worker.terminate();
    },
    done,
  };
  done.catch(() => undefined); // callers observe `done`; never an unhandled rejection here
  return handle;
}

function strip<T extends { type: string }>(msg: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = msg;
  return rest;
}

/** Path of the worker module next to this file: `.ts` from source, `.js` when bundled. */
export function workerUrl(): URL {
  return workerEntryUrl('train-worker', import.meta.url);
}

function createWorker(input: WorkerInput): Worker {
  return startWorker(workerUrl(), { workerData: input });
}
