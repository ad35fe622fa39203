import { encodeArrays } from '../../shared/codec';
import type { EpochMetrics, RunConfig } from '../../shared/run-config';
import { makeBatch, type Batch } from '../data/batch';
import type { Dataset } from '../data/types';
import { epochSpikeRng } from '../snn/encoding';
import { Rng } from '../util/rng';
import { initBackend } from './backend';
import { pruningRateAt } from '../prune/schedule';
import { epochAnalysis } from '../analysis/index';
import { decodeCheckpoint, type PartialEpoch } from './checkpoint';
import { stepInterval, type StepPoint } from '../../shared/step-history';
import { datasetFitProblems } from '../../shared/dataset-fit';
import { datasetLabel } from '../data/shape';
import { createEngine, type TrainEngine } from './engines';
import type { BatchProgress, EpochResult, TrainOptions, TrainResult } from './types';

const PROGRESS_INTERVAL_MS = 100;

/**
 * Trains a network with softmax cross-entropy and Adam, evaluating on the test split after every
 * epoch. Seeded: the same config, seed and backend give identical metrics. Resumable from any
 * EpochResult.checkpoint, or from the mid-epoch checkpoint of a stop. Aborting through `signal`
 * ("stop now") stops after the current batch, hands out a checkpoint of the unfinished epoch
 * (onInterrupt: batch index, data-order and spike RNG states, running sums) and returns status
 * 'interrupted' with the finished epochs; resuming from it gives the same bytes as never stopping.
 * `stopAfterEpoch` stops once the epoch in progress is finished and handed out.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  await initBackend();
  const { config, data, signal, callbacks = {} } = opts;
  checkShapes(config, data);
  const state = await initialState(config, opts.resume);
  const { engine: net, rng } = state;
  const history = state.history;
  const at = { epoch: state.startEpoch + 1, fraction: 0 };
  let partial = state.partial;
  const stepEvery = stepInterval(
    config.training.epochs * Math.ceil(data.train.count / Math.min(config.training.batchSize, data.train.count)),
  );
  const pruning = config.pruning;
  if (pruning) {
    const epochs = config.training.epochs;
    net.setPruning({
      kind: 'dynamic',
      scope: pruning.scope,
      rate: () => pruningRateAt(pruning, epochs, at.epoch, at.fraction),
    });
  }
  try {
    await callbacks.onStart?.({
      startEpoch: state.startEpoch,
      initialSnapshot: opts.resume || config.model.kind !== 'spatial' ? undefined : snapshot(net, 0),
      initialAnalysis: opts.resume ? undefined : epochAnalysis(config.model, net.toArrays(), data, 0),
    });
    for (let epoch = state.startEpoch + 1; epoch <= config.training.epochs; epoch++) {
      at.epoch = epoch;
      const orderRngState = rng.state();
      const from = partial?.epoch === epoch ? partial : undefined;
      partial = undefined;
      const steps = callbacks.onStep && {
        every: stepEvery,
        onStep: callbacks.onStep,
        timeBefore: sumDurations(history),
      };
      const train = runEpoch({
        net,
        rng,
        data,
        config,
        epoch,
        signal,
        at,
        from,
        steps,
        onBatch: callbacks.onBatch,
        onPositions: livePositions(opts, net),
      });
      if ('stopped' in train) {
        const checkpoint = await net.encodeCheckpoint({
          epoch: epoch - 1,
          rngState: orderRngState,
          history,
          config,
          partial: train.stopped,
        });
        await callbacks.onInterrupt?.({ epoch, batch: train.stopped.batch, checkpoint });
        return await finish('interrupted');
      }
      const test = net.evaluate(data.test);
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: train.loss,
        trainAccuracy: train.accuracy,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        durationMs: train.durationMs,
        samplesPerSec: train.samplesPerSec,
      };
      history.push(metrics);
      const result: EpochResult = {
        metrics,
        snapshot: snapshotDue(config, epoch) ? snapshot(net, epoch) : undefined,
        analysis: epochAnalysis(config.model, net.toArrays(), data, epoch),
        checkpoint: await net.encodeCheckpoint({ epoch, rngState: rng.state(), history, config }),
      };
      await callbacks.onEpoch?.(result);
      if (signal?.aborted || opts.stopAfterEpoch?.aborted)
        return await finish(epoch === config.training.epochs ? 'completed' : 'interrupted');
    }
    return await finish('completed');
  } finally {
    net.dispose();
  }

  async function finish(status: TrainResult['status']): Promise<TrainResult> {
    return {
      status,
      epochs: history,
      finalModel: encodeArrays(net.toArrays(), { kind: 'model', spec: config.model, epoch: history.length }),
      backend: net.backend,
    };
  }
}

interface TrainState {
  /** the model and its optimizer, on the engine config.kernel selects (see ./engines.ts) */
  engine: TrainEngine;
  rng: Rng;
  startEpoch: number;
  history: EpochMetrics[];
  /** the unfinished epoch of a mid-epoch checkpoint */
  partial?: PartialEpoch;
}

async function initialState(config: RunConfig, resume?: Uint8Array): Promise<TrainState> {
  if (!resume) {
    const rng = Rng.fromSeed(config.training.seed);
    return { engine: await createEngine(config, rng), rng, startEpoch: 0, history: [] };
  }
  const ck = decodeCheckpoint(resume);
  return {
    engine: await createEngine(config, Rng.fromState(ck.meta.rngState), resume),
    rng: Rng.fromState(ck.meta.rngState),
    startEpoch: ck.meta.epoch,
    history: ck.meta.history.slice(),
    partial: ck.meta.partial,
  };
}

interface EpochArgs {
  net: TrainEngine;
  rng: Rng;
  data: Dataset;
  config: RunConfig;
  epoch: number;
  signal?: AbortSignal;
  /** where in training we are; read by the pruning schedule */
  at: { epoch: number; fraction: number };
  /** continue this unfinished epoch (from a mid-epoch checkpoint) */
  from?: PartialEpoch;
  /** emit a step-history point every `every` steps (the run's step count continues across epochs) */
  steps?: { every: number; onStep: (p: StepPoint) => void; timeBefore: number };
  onBatch?: (p: BatchProgress) => void;
  onPositions?: (epoch: number, batch: number, now: number) => void;
}

/** A throttled emitter of live positions, or undefined when nobody listens (or for dense models). */
function livePositions(opts: TrainOptions, net: TrainEngine): EpochArgs['onPositions'] {
  const cb = opts.callbacks?.onPositions;
  const interval = opts.livePositionsMs ?? 250;
  if (!cb || interval <= 0 || net.spec.kind !== 'spatial') return undefined;
  let last = 0;
  return (epoch, batch, now) => {
    if (now - last < interval) return;
    last = now;
    cb({ epoch, batch, snapshot: encodeArrays(net.snapshotArrays(), { kind: 'snapshot', epoch, batch }) });
  };
}

interface EpochTrainStats {
  loss: number;
  accuracy: number;
  durationMs: number;
  samplesPerSec: number;
}

/**
 * One pass over the shuffled training split (from batch `a.from.batch` when continuing a stopped
 * epoch); when `signal` fires, the state to continue from instead.
 */
function runEpoch(a: EpochArgs): EpochTrainStats | { stopped: PartialEpoch } {
  const { net, data, config, epoch, signal, onBatch, onPositions } = a;
  const n = data.train.count;
  const batchSize = Math.min(config.training.batchSize, n);
  const order = a.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const batches = Math.ceil(n / batchSize);
  const pixels = data.rows * data.cols;
  const buffers: Batch = { x: new Float32Array(batchSize * pixels), y: new Int32Array(batchSize) };
  // rate coding of spiking inputs: a stream of its own, derived from (seed, epoch), so resume stays exact
  const spikeRng = a.from ? Rng.fromState(a.from.spikeRngState) : epochSpikeRng(config.training.seed, epoch);
  const t0 = performance.now() - (a.from?.elapsedMs ?? 0);
  let lastReport = t0;
  let lossSum = a.from?.lossSum ?? 0;
  let correct = a.from?.correct ?? 0;
  let seen = a.from?.seen ?? 0;
  const window = { loss: 0, correct: 0, seen: 0 };
  for (let b = a.from?.batch ?? 0; b < batches; b++) {
    if (signal?.aborted) {
      const stopped = {
        epoch,
        batch: b,
        spikeRngState: spikeRng.state(),
        lossSum,
        correct,
        seen,
        elapsedMs: performance.now() - t0,
      };
      return { stopped };
    }
    const size = Math.min(batchSize, n - b * batchSize);
    a.at.fraction = b / batches;
    const batch = makeBatch(data.train, order, b * batchSize, size, buffers);
    const step = net.trainBatch(batch.x.subarray(0, size * pixels), batch.y.subarray(0, size), size, spikeRng);
    lossSum += step.loss * size;
    correct += step.correct;
    seen += size;
    const now = performance.now();
    if (a.steps)
      stepPoint(
        a.steps,
        window,
        step,
        {
          epoch,
          batch: b + 1,
          steps: (epoch - 1) * batches + b + 1,
          samples: (epoch - 1) * n + seen,
          timeMs: a.steps.timeBefore + now - t0,
        },
        size,
      );
    onPositions?.(epoch, b + 1, now);
    // every epoch's first and last batch are reported at once, the rest at most every PROGRESS_INTERVAL_MS
    if (onBatch && (now - lastReport >= PROGRESS_INTERVAL_MS || b === 0 || b === batches - 1)) {
      lastReport = now;
      const elapsedMs = now - t0;
      onBatch({
        epoch,
        batch: b + 1,
        batchesPerEpoch: batches,
        loss: lossSum / seen,
        samplesPerSec: (seen / elapsedMs) * 1000,
        elapsedMs,
      });
    }
  }
  a.at.fraction = 1; // evaluation after the epoch uses the rate reached at its end
  const durationMs = performance.now() - t0;
  return { loss: lossSum / seen, accuracy: correct / seen, durationMs, samplesPerSec: (seen / durationMs) * 1000 };
}

/** Adds one step to the window; every `every` steps hands out its means as a point and clears it. */
function stepPoint(
  s: NonNullable<EpochArgs['steps']>,
  window: { loss: number; correct: number; seen: number },
  step: { loss: number; correct: number },
  at: { epoch: number; batch: number; steps: number; samples: number; timeMs: number },
  size: number,
): void {
  window.loss += step.loss * size;
  window.correct += step.correct;
  window.seen += size;
  if (at.steps % s.every !== 0) return;
  s.onStep({
    step: at.steps,
    epoch: at.epoch,
    batch: at.batch,
    samples: at.samples,
    timeMs: at.timeMs,
    loss: window.loss / window.seen,
    accuracy: window.correct / window.seen,
  });
  Object.assign(window, { loss: 0, correct: 0, seen: 0 });
}

function sumDurations(history: readonly EpochMetrics[]): number {
  return history.reduce((t, m) => t + m.durationMs, 0);
}

function snapshotDue(config: RunConfig, epoch: number): boolean {
  if (config.model.kind !== 'spatial') return false;
  return epoch === config.training.epochs || epoch % Math.max(1, config.snapshotEvery) === 0;
}

function snapshot(net: TrainEngine, epoch: number): Uint8Array {
  return encodeArrays(net.snapshotArrays(), { kind: 'snapshot', epoch });
}

/** the data-dependent checks in the words of the form and checkConfig (src/shared/dataset-fit.ts) */
function checkShapes(config: RunConfig, data: Dataset): void {
  const shape = { label: datasetLabel(data.name), rows: data.rows, cols: data.cols, classes: data.classes };
  // the layers only: `data` is already the subset (its counts say nothing about the config's sizes)
  const fit = { model: config.model, dataset: {} };
  const [first] = datasetFitProblems(fit, { ...shape, trainCount: data.train.count, testCount: data.test.count });
  if (first) throw new Error(first.message);
}
