/**
 * The local executor: up to `maxParallel` trainings at once, each in its own worker thread
 * (`runTraining`), recorded straight into the store as they run.
 */
import os from 'node:os';
import type { SweepTraining } from '../../shared/sweep';
import type { RunStore } from '../store/index';
import { runTraining, TrainingAbortedError, TrainingFailedError } from '../train/run-training';
import { sweepTag, type SweepEvents } from './events';

/** Default parallelism: one training per core (each worker thread uses one core). */
export function defaultParallel(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Runs `trainings` of sweep `sweepId`; resolves when all have ended or `signal` stopped them. */
export async function runLocal(
  store: RunStore,
  sweepId: string,
  trainings: SweepTraining[],
  maxParallel: number,
  signal: AbortSignal,
  events: SweepEvents,
): Promise<void> {
  const queue = [...trainings];
  const worker = async (): Promise<void> => {
    for (let t = queue.shift(); t !== undefined && !signal.aborted; t = queue.shift())
      await one(store, sweepId, t, signal, events);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxParallel, trainings.length)) }, worker));
}

async function one(
  store: RunStore,
  sweepId: string,
  t: SweepTraining,
  signal: AbortSignal,
  events: SweepEvents,
): Promise<void> {
  const status = t.runId === null ? null : runStatus(store, t.runId);
  const resumable = status !== null && status !== 'completed';
  const set = (patch: Parameters<RunStore['updateSweepTraining']>[2]): void => {
    store.updateSweepTraining(sweepId, t.index, patch);
    events.training(t.index, patch.state ?? t.state, patch.error ?? undefined);
  };
  set({ state: 'running', error: null });
  try {
    const result = await runTraining({
      store,
      ...(resumable ? { resumeId: t.runId! } : { config: t.config, tags: [sweepTag(sweepId)] }),
      signal,
      onProgress: (p) => {
        if (p.type === 'ready') store.updateSweepTraining(sweepId, t.index, { runId: p.runId });
      },
    });
    if (result.status === 'completed') set({ state: 'done', runId: result.runId });
    else
      set({
        state: 'cancelled',
        runId: result.runId,
        error: 'stopped before the end; resume continues from its checkpoint',
      });
  } catch (err) {
    if (err instanceof TrainingAbortedError) set({ state: 'queued' });
    else
      set({
        state: 'failed',
        error: (err as Error).message,
        ...(err instanceof TrainingFailedError ? { runId: err.runId } : {}),
      });
  }
}

function runStatus(store: RunStore, runId: string): string | null {
  try {
    return store.getRun(runId).status;
  } catch {
    return null;
  }
}
