/**
 * The lab service's trainings: each runs through `runTraining` (a worker thread, recorded in the
 * store) and its progress becomes contract events. Several may run at once; studies start theirs
 * here too, so every training looks the same to the renderer (events, stop, status).
 */
import type { RunStore } from '../../core/store/index';
import {
  runTraining,
  TrainingFailedError,
  type RunTrainingResult,
  type TrainingProgress,
} from '../../core/train/run-training';
import { WorkerError } from '../../core/train/worker-host';
import { bytesToBase64 } from '../../shared/codec';
import type { RunConfig, RunDetail, RunSummary } from '../../shared/run-config';
import { newRunId } from '../../core/store/ids';
import type { LabEventEmitter } from './emitter';
import { maxConcurrentTrainings, queuedDetail, TrainingQueue } from './training-queue';

/** What to train: a new config or the id of a run to resume. */
export interface Launch {
  config?: RunConfig;
  resumeId?: string;
  name?: string;
  tags?: string[];
  /** start even above the memory limit (new runs only) */
  ignoreMemoryLimit?: boolean;
  /** the id of a new run (a queued training's) */
  runId?: string;
}

/** A started training: `ready` settles once the run exists (or it failed before), `done` at its end. */
export interface Launched {
  ready: Promise<RunSummary>;
  done: Promise<RunTrainingResult>;
  /** set when every slot was taken: the training waits as 'queued' (`ready` settles when it starts) */
  queued?: RunSummary;
}

/** Options of {@link Trainings}. */
export interface TrainingsOptions {
  /** live positions of training spatial runs at most this often (default 250 ms) */
  livePositionsMs?: number;
  /** how long a stopped run may take to finish its batch before its worker is terminated (default 10 s) */
  stopGraceMs?: number;
  /** trainings at once; the rest wait as 'queued' (default: see maxConcurrentTrainings) */
  maxTrainings?: number;
}

/** The trainings of one service. */
export class Trainings {
  /** runs training now (their run exists in the store) -> their stop switch */
  readonly active = new Map<string, AbortController>();
  /** the same runs -> their "stop after this epoch" switch */
  readonly afterEpoch = new Map<string, AbortController>();
  /** every training started, including those not 'ready' yet */
  private readonly all = new Map<Promise<unknown>, AbortController>();
  /** the backend the latest run reported */
  backend: string | null = null;
  /** trainings waiting for a slot, in order */
  readonly queue = new TrainingQueue();
  /** trainings at once */
  readonly maxTrainings: number;
  /** trainings holding a slot (started, not yet ended) */
  private running = 0;
  /** ids of runs being resumed whose worker has not reported 'ready' yet (not in `active` yet) */
  private readonly launching = new Set<string>();
  private readonly waitingDone = new Set<Promise<unknown>>();

  constructor(
    private readonly store: RunStore,
    private readonly events: LabEventEmitter,
    private readonly options: TrainingsOptions,
  ) {
    this.maxTrainings = maxConcurrentTrainings(options.maxTrainings);
  }

  /** Cancels every queued training and asks every running one to stop after its batch (each ends 'interrupted'). */
  stopAll(): void {
    this.queue.cancelAll('the lab is shutting down');
    for (const controller of this.all.values()) controller.abort();
  }

  /** Resolves once every training has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.waitingDone, ...this.all.keys()]);
    if (this.all.size || this.waitingDone.size) await this.settled();
  }

  /**
   * Starts one training, or queues it when all {@link maxTrainings} slots are taken (then
   * `queued` is set and it starts, in order, when a slot frees). `ready` settles at 'ready' (the
   * run exists) or with the error that came before; `done` at the end (rejects like
   * runTraining). `parent` aborting stops it too (studies), or cancels it while queued.
   */
  launch(what: Launch, parent?: AbortSignal): Launched {
    if (this.running < this.maxTrainings && this.queue.length === 0) return this.startNow(what, parent);
    return this.enqueue(what, parent);
  }

  /** True when this lab trains, is about to train, or queued the run (a second resume must be refused). */
  holds(runId: string): boolean {
    return this.active.has(runId) || this.launching.has(runId) || this.queue.find(runId) !== undefined;
  }

  /** Puts a training in the waiting line under its final run id. */
  private enqueue(what: Launch, parent?: AbortSignal): Launched {
    const detail = what.resumeId
      ? { ...this.store.getRun(what.resumeId), status: 'queued' as const }
      : queuedDetail(newRunId(), what.config!, what.name, what.tags);
    const id = detail.id;
    const ready = deferred<RunSummary>();
    const done = deferred<RunTrainingResult>();
    const onParentAbort = (): void => void this.queue.cancel(id, 'its study was stopped');
    parent?.addEventListener('abort', onParentAbort, { once: true });
    this.queue.push({
      id,
      detail,
      start: () => {
        parent?.removeEventListener('abort', onParentAbort);
        const l = this.startNow(what.resumeId ? what : { ...what, runId: id }, parent);
        l.ready.then(ready.resolve, ready.reject);
        l.done.then(done.resolve, done.reject);
      },
      cancel: (err) => {
        parent?.removeEventListener('abort', onParentAbort);
        // a new run leaves nothing behind; a queued resume stays as it was ('interrupted' or 'failed')
        this.events.emit('run/status', { runId: id, status: 'interrupted', error: err.message });
        ready.reject(err);
        done.reject(err);
      },
    });
    ready.promise.catch(() => undefined);
    done.promise.catch(() => undefined);
    const settledDone = done.promise.catch(() => undefined).finally(() => this.waitingDone.delete(settledDone));
    this.waitingDone.add(settledDone);
    this.events.emit('run/status', { runId: id, status: 'queued' });
    if (parent?.aborted) this.queue.cancel(id, 'its study was stopped');
    const { config: _c, epochs: _e, ...summary } = detail;
    return { ready: ready.promise, done: done.promise, queued: summary };
  }

  /** A slot freed: start the next waiting trainings. */
  private pump(): void {
    while (this.running < this.maxTrainings) {
      const next = this.queue.shift();
      if (!next) return;
      next.start();
    }
  }

  private startNow(what: Launch, parent?: AbortSignal): Launched {
    this.running++;
    const resumeId = what.resumeId;
    if (resumeId) this.launching.add(resumeId);
    const controller = new AbortController();
    const afterEpoch = new AbortController();
    const onParentAbort = (): void => controller.abort();
    if (parent?.aborted) controller.abort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
    let runId: string | null = null;
    let settle!: { resolve: (s: RunSummary) => void; reject: (e: unknown) => void };
    const ready = new Promise<RunSummary>((resolve, reject) => (settle = { resolve, reject }));
    const onProgress = (p: TrainingProgress): void => {
      if (p.type !== 'ready') return this.forward(p);
      runId = p.runId;
      this.backend = p.backend;
      this.active.set(runId, controller);
      if (resumeId) this.launching.delete(resumeId); // `active` holds it from here on
      this.afterEpoch.set(runId, afterEpoch);
      this.events.emit('run/status', { runId, status: 'running' });
      try {
        settle.resolve(summaryOf(this.store.getRun(runId)));
      } catch (err) {
        settle.reject(err); // the store failed under us; the run goes on (or fails) and is reported by events
      }
    };
    const done: Promise<RunTrainingResult> = runTraining({
      store: this.store,
      ...what,
      signal: controller.signal,
      stopAfterEpoch: afterEpoch.signal,
      livePositionsMs: this.options.livePositionsMs ?? 500,
      stopGraceMs: this.options.stopGraceMs ?? 10_000,
      onProgress,
    })
      .then((result) => {
        this.active.delete(result.runId);
        this.afterEpoch.delete(result.runId);
        this.events.emit('run/status', { runId: result.runId, status: result.status });
        return result;
      })
      .catch((err: unknown) => {
        if (runId === null)
          settle.reject(err); // nothing stored: the caller gets the reason
        else {
          this.active.delete(runId);
          this.afterEpoch.delete(runId);
          this.reportFailure(runId, err);
        }
        throw err;
      })
      .finally(() => {
        this.all.delete(done);
        parent?.removeEventListener('abort', onParentAbort);
        if (resumeId) this.launching.delete(resumeId);
        this.running--;
        this.pump();
      });
    done.catch(() => undefined); // startRun callers only watch `ready`
    this.all.set(done, controller);
    return { ready, done };
  }

  /** Batch, epoch and positions progress -> contract events. */
  private forward(p: TrainingProgress): void {
    if (p.type === 'batch') {
      const { runId, epoch, epochs, batch, batchesPerEpoch, loss, samplesPerSec, elapsedMs } = p;
      this.events.emit('run/progress', {
        runId,
        epoch,
        epochs,
        batch,
        batchesPerEpoch,
        loss,
        samplesPerSec,
        elapsedMs,
      });
    } else if (p.type === 'epoch') {
      this.events.emit('run/epoch', { runId: p.runId, epochs: p.epochs, metrics: p.metrics });
    } else if (p.type === 'steps') {
      this.events.emit('run/steps', { runId: p.runId, points: p.points });
    } else if (p.type === 'positions') {
      this.events.emit('run/positions', {
        runId: p.runId,
        epoch: p.epoch,
        batch: p.batch,
        blob: bytesToBase64(p.snapshot),
      });
    }
  }

  /**
   * A started run failed (runTraining stored it as 'failed'). A worker that reported its own error
   * is an ordinary failure; a worker that died (crash, out of memory) or a failure outside the
   * worker is also pushed as 'lab/error', since nothing else would explain it.
   */
  private reportFailure(runId: string, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.events.emit('run/status', { runId, status: 'failed', error: e.message });
    const cause = e instanceof TrainingFailedError ? e.cause : e;
    if (!(cause instanceof WorkerError) || cause.name === 'WorkerCrash') {
      this.events.emit('lab/error', { runId, message: `training of run ${runId} failed: ${e.message}` });
    }
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A RunDetail without its config and epochs. */
function summaryOf(detail: RunDetail): RunSummary {
  const { config: _config, epochs: _epochs, ...summary } = detail;
  return summary;
}
