/**
 * Everything the live view knows about one run: its detail, status, the latest batch progress,
 * finished epochs (pushed to the charts through `sink`, never re-created) and the latest positions.
 * What streams in (progress ~10 times a second, positions ~2) is applied on `clock`'s ticks.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type { NamedArray } from '../../../shared/codec';
import type { RunProgressEvent, StopMode } from '../../../shared/lab-api';
import type { StepPoint } from '../../../shared/step-history';
import { batchesPerEpoch } from '../plots/run-curves';
import type { EpochMetrics, RunDetail, RunStatus } from '../../../shared/run-config';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import type { FrameClock } from '../lib/frame-clock';
import { decodeSnapshot } from '../lib/snapshot';
import { reportError } from '../stores/toasts';
import { useLabEvent } from './use-lab-event';

const PROGRESS = 'live-run/progress';
const POSITIONS = 'live-run/positions';

/** Where the live run's curve data goes (the view's charts). */
export interface LiveCurveSink {
  resetEpochs(epochs: readonly EpochMetrics[]): void;
  appendEpoch(m: EpochMetrics): void;
  /** the whole step history so far (train loss / accuracy every N steps), on the epoch axis */
  resetSteps(points: readonly StepPoint[], batchesPerEpoch: number): void;
  appendSteps(points: readonly StepPoint[], batchesPerEpoch: number): void;
}

export interface ShownSnapshot {
  arrays: NamedArray[];
  epoch: number;
  batch?: number;
  live: boolean;
}

export function useLiveRun(id: string, sink: LiveCurveSink, clock: FrameClock) {
  const lab = host();
  const detail = shallowRef<RunDetail>();
  const loadError = shallowRef<string>();
  const status = shallowRef<RunStatus>();
  const runError = shallowRef<string | null>(null);
  const progress = shallowRef<RunProgressEvent>();
  const lastMetrics = shallowRef<EpochMetrics>();
  const snapshot = shallowRef<ShownSnapshot>();
  const busy = shallowRef<'stopping' | 'stopping-epoch' | 'resuming'>();
  const epochs = new Map<number, EpochMetrics>();
  let loaded = false;
  /** the step history: loaded from the store, then extended by 'run/steps' events (keyed by step) */
  const steps = new Map<number, StepPoint>();
  let batches = 0;
  const sortedSteps = (): StepPoint[] => [...steps.values()].sort((a, b) => a.step - b.step);

  async function load(): Promise<void> {
    try {
      const [d, points] = await Promise.all([lab.getRun(id), lab.getRunSteps(id)]);
      detail.value = d;
      for (const p of points) steps.set(p.step, p);
      status.value ??= d.status;
      runError.value = d.error;
      for (const m of d.epochs) if (!epochs.has(m.epoch)) epochs.set(m.epoch, m);
      const sorted = [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
      lastMetrics.value = sorted[sorted.length - 1];
      loaded = true;
      sink.resetEpochs(sorted);
      const all = sortedSteps();
      batches = batches || batchesPerEpoch(all, d.config);
      sink.resetSteps(all, batches);
      if (d.config.model.kind === 'spatial') void loadStoredSnapshot();
    } catch (err) {
      loadError.value = errorMessage(err);
    }
  }

  /**
   * The latest stored snapshot: before live positions arrive, and again when the run stops (the
   * last live positions were from inside an epoch; the stored one is the finished state).
   */
  async function loadStoredSnapshot(replaceLive = false): Promise<void> {
    try {
      const list = await lab.getSnapshotEpochs(id);
      if (!list.length || (snapshot.value && !(replaceLive && snapshot.value.live))) return;
      const data = await lab.getSnapshot(id, list[list.length - 1]);
      if (!snapshot.value || (replaceLive && snapshot.value.live)) {
        snapshot.value = { arrays: decodeSnapshot(data), epoch: data.epoch, live: false };
      }
    } catch (err) {
      reportError('Loading the latest snapshot', err);
    }
  }

  useLabEvent('run/epoch', (e) => {
    if (e.runId !== id) return;
    epochs.set(e.metrics.epoch, e.metrics);
    lastMetrics.value = e.metrics;
    if (detail.value && e.epochs !== detail.value.epochsPlanned)
      detail.value = { ...detail.value, epochsPlanned: e.epochs };
    if (!loaded) return;
    sink.appendEpoch(e.metrics);
  });

  useLabEvent('run/steps', (e) => {
    if (e.runId !== id) return;
    for (const p of e.points) steps.set(p.step, p);
    if (loaded) sink.appendSteps(e.points, batches);
  });

  // Progress, live loss points and positions are applied on the view's clock (a few ticks a
  // second, one frame each); a tick shows the newest progress and the newest positions.
  useLabEvent('run/progress', (p) => {
    if (p.runId !== id) return;
    if (status.value !== 'running') status.value = 'running';
    if (p.batchesPerEpoch !== batches) {
      batches = p.batchesPerEpoch; // the data set's real size (the config may not say it)
      if (loaded) sink.resetSteps(sortedSteps(), batches);
    }
    if (!progress.value)
      progress.value = p; // the first one at once: the header fills in
    else clock.schedule(PROGRESS, () => (progress.value = p));
  });

  useLabEvent('run/status', (e) => {
    if (e.runId !== id) return;
    status.value = e.status;
    runError.value = e.error ?? null;
    busy.value = undefined;
    if (e.status !== 'running') {
      clock.cancel(PROGRESS);
      clock.cancel(POSITIONS); // a late live frame must not replace the final state
      void refreshDetail();
      void loadStoredSnapshot(true);
    }
  });

  useLabEvent('run/positions', (s) => {
    if (s.runId !== id) return;
    clock.schedule(POSITIONS, () => {
      try {
        snapshot.value = { arrays: decodeSnapshot(s), epoch: s.epoch, batch: s.batch, live: true };
      } catch (err) {
        reportError('Decoding live positions', err);
      }
    });
  });
  onScopeDispose(() => {
    clock.cancel(PROGRESS);
    clock.cancel(POSITIONS);
  });

  async function refreshDetail(): Promise<void> {
    try {
      const d = await lab.getRun(id);
      detail.value = d;
      runError.value = d.error;
    } catch {
      // the status event already told the important part
    }
  }

  /** 'now': after the current batch, keeping the unfinished epoch as a checkpoint; 'epoch': after this epoch */
  async function stop(mode: StopMode = 'now'): Promise<void> {
    busy.value = mode === 'epoch' ? 'stopping-epoch' : 'stopping';
    try {
      await lab.stopRun(id, mode);
    } catch (err) {
      busy.value = undefined;
      reportError('Stop run', err);
    }
  }

  async function resume(): Promise<void> {
    busy.value = 'resuming';
    try {
      const summary = await lab.resumeRun(id);
      status.value = summary.status;
      runError.value = null;
    } catch (err) {
      reportError('Resume run', err);
    } finally {
      busy.value = undefined;
    }
  }

  void load();
  return { detail, loadError, status, runError, progress, lastMetrics, snapshot, busy, stop, resume };
}
