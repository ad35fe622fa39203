/**
 * Orchestrates one training run end to end: worker thread + run store (the single writer).
 * Shared by the CLI, the Electron main process and the HTTP server.
 *
 * Nothing is stored until the worker reports 'ready' (backend up, data set loaded, shapes checked),
 * so a bad data set or config leaves the database untouched. The one exception is a resumed run: it
 * is claimed (status 'running' under this process) before the worker starts, so two resumes cannot
 * both train it; the claim is given back if the training never starts.
 */
import type { BackendName, EpochMetrics, RunConfig, RunStatus } from '../../shared/run-config';
import type { RunClaim, RunStore } from '../store/index';
import { newOwnerToken } from '../store/ownership';
import { DEFAULT_MAX_SNAPSHOTS } from '../store/snapshot-thinning';
import { assertFitsMemory } from './memory-limit';
import type { BatchProgress } from './types';
import type { StepPoint } from '../../shared/step-history';
import { startTraining, type ReadyInfo, type TrainingHandle } from './worker-host';

/** Progress reported while a run trains. */
export type TrainingProgress =
  | ({ type: 'ready'; runId: string; resumed: boolean; config: RunConfig } & ReadyInfo)
  | { type: 'start'; runId: string; startEpoch: number }
  | ({ type: 'batch'; runId: string; epochs: number } & BatchProgress)
  | { type: 'positions'; runId: string; epoch: number; batch: number; snapshot: Uint8Array }
  | { type: 'epoch'; runId: string; metrics: EpochMetrics; epochs: number }
  | { type: 'steps'; runId: string; points: StepPoint[] }
  | { type: 'stopping'; runId: string | null };

export interface RunTrainingOptions {
  store: RunStore;
  /** the config of a new run (ignored with `resumeId`) */
  config?: RunConfig;
  /** continue this run from its latest checkpoint, with its stored config */
  resumeId?: string;
  /** name of a new run (defaults to config.name, then the store's default) */
  name?: string;
  /** tags of a new run */
  tags?: string[];
  /** abort = stop after the current batch (keeping a mid-epoch checkpoint) and mark the run 'interrupted' */
  signal?: AbortSignal;
  /** abort = stop once the epoch in progress is finished and mark the run 'interrupted' */
  stopAfterEpoch?: AbortSignal;
  onProgress?: (p: TrainingProgress) => void;
  /** emit 'positions' progress (live geometry of spatial models) at most this often; off by default */
  livePositionsMs?: number;
  /** how long a stop may take before the worker is terminated (default 30 s) */
  stopGraceMs?: number;
  /** id of a new run (a queued training keeps the id it was shown under); default: a new one */
  runId?: string;
  /** start a new run even when its memory estimate is above the limit (see ./memory-limit.ts) */
  ignoreMemoryLimit?: boolean;
}

export interface RunTrainingResult {
  runId: string;
  status: Exclude<RunStatus, 'running' | 'failed'>;
  testAccuracy: number | null;
  params: number;
  backend: BackendName;
  /** epochs finished (in total, including those before a resume) */
  epochs: number;
  epochsPlanned: number;
  resumed: boolean;
}

/** Training ended with an error after the run was created; the run is stored as 'failed'. */
export class TrainingFailedError extends Error {
  readonly runId: string;
  constructor(runId: string, cause: Error) {
    super(cause.message, { cause });
    this.name = cause.name === 'Error' ? 'TrainingFailedError' : cause.name;
    this.runId = runId;
  }
}

/** The signal fired before training started: nothing was stored (or a resumed run was left as it was). */
export class TrainingAbortedError extends Error {
  constructor() {
    super('interrupted before training started; nothing was stored');
    this.name = 'TrainingAbortedError';
  }
}

interface Plan {
  config: RunConfig;
  resume?: Uint8Array;
  resumeId?: string;
  /** a resumed run's claim (taken before the worker starts; released if training never starts) */
  claim?: RunClaim;
  /** the writer's owner token: every write checks the run is still ours */
  token: string;
}

/**
 * Look up what to train: a new config, or a stored run plus its latest checkpoint. A resumed run
 * is claimed here, before any worker starts (one compare-and-set in the store; the loser gets a
 * StoreError 'conflict' naming the writer's pid and host). A new run is claimed by its INSERT.
 */
function plan(opts: RunTrainingOptions): Plan {
  if (!opts.resumeId) {
    if (!opts.config) throw new Error('runTraining needs a config or a resumeId');
    // refused before a worker starts; a resumed run already trained with its config
    assertFitsMemory(opts.config, opts.ignoreMemoryLimit);
    return { config: opts.config, token: newOwnerToken() };
  }
  const claim = opts.store.claimRun(opts.resumeId);
  try {
    const run = opts.store.getRun(claim.runId);
    const checkpoint = opts.store.getLatestCheckpoint(run.id);
    return { config: run.config, resume: checkpoint?.data, resumeId: run.id, claim, token: claim.token };
  } catch (e) {
    opts.store.releaseRun(claim);
    throw e;
  }
}

/**
 * Train one run (new or resumed) in a worker thread, recording every epoch in the store.
 * Resolves with status 'completed' or 'interrupted' (after `signal` fired).
 * @throws errors from before the run existed as they are (nothing stored), TrainingFailedError after
 *   (the run is then stored as 'failed' with the message), TrainingAbortedError when aborted before start
 */
export async function runTraining(opts: RunTrainingOptions): Promise<RunTrainingResult> {
  const { store, signal } = opts;
  const p = plan(opts);
  if (signal?.aborted) {
    if (p.claim) store.releaseRun(p.claim);
    throw new TrainingAbortedError();
  }
  const handle = startTraining({ config: p.config, resume: p.resume, livePositionsMs: opts.livePositionsMs });
  const state = { runId: p.resumeId ?? null, started: false, ready: null as ReadyInfo | null };
  const emit = (e: TrainingProgress): void => opts.onProgress?.(e);
  const onAbort = (): void => {
    emit({ type: 'stopping', runId: state.started ? state.runId : null });
    if (state.started) handle.stop(opts.stopGraceMs);
    else void handle.kill();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const onStopAfterEpoch = (): void => {
    emit({ type: 'stopping', runId: state.started ? state.runId : null });
    handle.stopAfterEpoch();
  };
  opts.stopAfterEpoch?.addEventListener('abort', onStopAfterEpoch, { once: true });
  wire(handle, { store, opts, p, state, emit });
  try {
    const result = await handle.done;
    if (!state.started || !state.runId || !state.ready) throw new TrainingAbortedError();
    const status = result.status;
    store.finishRun(state.runId, status, {
      owner: p.token,
      ...(result.finalModel ? { finalModel: result.finalModel } : {}),
    });
    return summarize(store, state.runId, state.ready, p.resumeId !== undefined);
  } catch (err) {
    throw fail(store, state, p, err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    opts.stopAfterEpoch?.removeEventListener('abort', onStopAfterEpoch);
  }
}

interface WireContext {
  store: RunStore;
  opts: RunTrainingOptions;
  p: Plan;
  state: { runId: string | null; started: boolean; ready: ReadyInfo | null };
  emit: (e: TrainingProgress) => void;
}

/** Connect worker events to the store; a throwing handler makes `handle.done` reject. */
function wire(handle: TrainingHandle, ctx: WireContext): void {
  const { store, opts, p, state, emit } = ctx;
  const epochs = p.config.training.epochs;
  handle.on('ready', (info) => {
    if (opts.signal?.aborted) return; // the abort handler already killed the worker
    state.ready = info;
    if (!p.resumeId) {
      const run = store.createRun({
        config: p.config,
        backend: info.backend,
        params: info.params,
        name: opts.name,
        ownerToken: p.token,
        id: opts.runId,
      });
      state.runId = run.id;
      if (opts.tags?.length) store.setTags(run.id, opts.tags);
    }
    state.started = true;
    emit({ type: 'ready', runId: state.runId!, resumed: p.resumeId !== undefined, config: p.config, ...info });
  });
  handle.on('start', (s) => {
    if (!state.runId) return;
    if (s.initialSnapshot) store.saveSnapshot(state.runId, 0, s.initialSnapshot);
    if (s.initialAnalysis) store.saveAnalysis(state.runId, 0, s.initialAnalysis);
    emit({ type: 'start', runId: state.runId, startEpoch: s.startEpoch });
  });
  handle.on('batch', (b) => state.runId && emit({ type: 'batch', runId: state.runId, epochs, ...b }));
  handle.on('positions', (pos) => state.runId && emit({ type: 'positions', runId: state.runId, ...pos }));
  handle.on('epoch', (e) => {
    if (!state.runId) return;
    const maxSnapshots = p.config.maxSnapshots ?? DEFAULT_MAX_SNAPSHOTS;
    store.recordEpoch(state.runId, e.metrics, {
      snapshot: e.snapshot,
      checkpoint: e.checkpoint,
      owner: p.token,
      analysis: e.analysis,
      maxSnapshots,
    });
    emit({ type: 'epoch', runId: state.runId, metrics: e.metrics, epochs });
  });
  // "stop now" inside an epoch: keep its work as a checkpoint that resume continues from exactly
  handle.on('interrupt', (i) => state.runId && store.saveCheckpoint(state.runId, i.epoch - 1, i.checkpoint, p.token));
  handle.on('steps', (s) => {
    if (!state.runId) return;
    store.recordSteps(state.runId, s.points, p.token);
    emit({ type: 'steps', runId: state.runId, points: s.points });
  });
}

/**
 * Mark a started run 'failed' and wrap the error; errors before the start pass through (a resumed
 * run's claim is then given back, so the run is as it was).
 */
function fail(store: RunStore, state: WireContext['state'], p: Plan, err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e instanceof TrainingAbortedError || !state.started || !state.runId) {
    if (p.claim) releaseQuietly(store, p.claim);
    return e;
  }
  try {
    store.finishRun(state.runId, 'failed', { error: e.message, owner: p.token });
  } catch {
    // the store itself may be what failed; the original error is the one to report
  }
  return new TrainingFailedError(state.runId, e);
}

function releaseQuietly(store: RunStore, claim: RunClaim): void {
  try {
    store.releaseRun(claim);
  } catch {
    // the store itself may be what failed; the run is then recovered as interrupted at next open
  }
}

function summarize(store: RunStore, runId: string, ready: ReadyInfo, resumed: boolean): RunTrainingResult {
  const run = store.getRun(runId);
  return {
    runId,
    status: run.status === 'completed' ? 'completed' : 'interrupted',
    testAccuracy: run.testAccuracy,
    params: ready.params,
    backend: ready.backend,
    epochs: run.epochsDone,
    epochsPlanned: run.epochsPlanned,
    resumed,
  };
}
