/**
 * Driving a sweep: plan and store it, reuse completed runs, hand the rest to an executor (local
 * worker threads or a Slurm job array) and settle its status. Used by `sen-lab sweep`, and by
 * pruning studies and `reproduce` when they run on an executor.
 */
import { plural } from '../../shared/format';
import path from 'node:path';
import type { RunConfig } from '../../shared/run-config';
import type { PlannedTraining, SweepDetail, SweepExecutorOptions, SweepSpec } from '../../shared/sweep';
import type { RunStore } from '../store/index';
import { findReusableRun } from '../study/configs';
import { NO_EVENTS, type SweepEvents } from './events';
import { defaultParallel, runLocal } from './local-executor';
import { cancelSlurm, followSlurm, POLL_MS, sleep, submitSlurm } from './slurm-executor';
import { planSweep, trainingKey } from './spec';

/** Where the shared folder of Slurm sweeps defaults to (relative to the working folder). */
export const DEFAULT_SHARED_DIR = 'sen-lab-sweeps';

export interface DriveOptions {
  /** abort = the driver stops: local trainings stop after their batch; Slurm jobs keep running */
  signal?: AbortSignal;
  events?: SweepEvents;
}

/**
 * Checks the spec, plans it and stores the sweep (nothing runs yet).
 * @throws ConfigError naming the spec entry at fault; nothing is stored then
 */
export function createSweep(
  store: RunStore,
  spec: unknown,
  options: SweepExecutorOptions,
  cwd = process.cwd(),
): SweepDetail {
  const plan = planSweep(spec);
  return storeSweep(store, plan.spec.name ?? 'sweep', plan.spec, plan.trainings, options, cwd);
}

/** A sweep of given configs (the trainings of a pruning study or a reproduction), stored. */
export function createConfigSweep(
  store: RunStore,
  name: string,
  configs: RunConfig[],
  options: SweepExecutorOptions,
  cwd = process.cwd(),
): SweepDetail {
  const seen = new Set<string>();
  const trainings: PlannedTraining[] = [];
  for (const config of configs) {
    const key = trainingKey(config);
    if (seen.has(key)) continue;
    seen.add(key);
    trainings.push({ index: trainings.length, key, config, values: {} });
  }
  return storeSweep(store, name, { name }, trainings, options, cwd);
}

function storeSweep(
  store: RunStore,
  name: string,
  spec: SweepSpec,
  trainings: PlannedTraining[],
  options: SweepExecutorOptions,
  cwd: string,
): SweepDetail {
  const opts: SweepExecutorOptions = { ...options };
  if (opts.executor === 'slurm')
    opts.slurm = { ...opts.slurm, sharedDir: path.resolve(cwd, opts.slurm?.sharedDir ?? DEFAULT_SHARED_DIR) };
  return store.getSweep(store.createSweep({ name, spec, options: opts, trainings }).id);
}

/**
 * Runs what the sweep still needs: 'start' (queued trainings), 'resume' (queued, failed and
 * cancelled ones; local runs and Slurm bundles continue from their checkpoints) or 'follow'
 * (a Slurm sweep's tasks already submitted). Resolves with the sweep as stored.
 */
export async function driveSweep(
  store: RunStore,
  sweepId: string,
  mode: 'start' | 'resume' | 'follow',
  opts: DriveOptions = {},
): Promise<SweepDetail> {
  const events = opts.events ?? NO_EVENTS;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  if (opts.signal?.aborted) abort(); // e.g. --detach: submit, then stop following at once
  let sweep = store.getSweep(sweepId);
  const followingLocal = mode === 'follow' && sweep.options.executor === 'local';
  if (!followingLocal && (mode !== 'follow' || sweep.status === 'running')) store.setSweepStatus(sweep.id, 'running');
  const watch = setInterval(() => {
    if (store.getSweep(sweep.id).status === 'cancelled' && sweep.options.executor === 'local') controller.abort();
  }, 500);
  try {
    if (mode !== 'follow') reuseCompleted(store, sweep, events);
    sweep = store.getSweep(sweep.id);
    const wanted = mode === 'resume' ? ['queued', 'failed', 'cancelled'] : mode === 'start' ? ['queued'] : [];
    const todo = sweep.trainings.filter((t) => wanted.includes(t.state));
    if (sweep.options.executor === 'local' && mode === 'follow') {
      await followLocal(store, sweep.id, controller.signal);
      return store.getSweep(sweep.id); // its own driver settles it
    } else if (sweep.options.executor === 'local') {
      const parallel = sweep.options.maxParallel ?? defaultParallel();
      await runLocal(store, sweep.id, todo, parallel, controller.signal, events);
    } else {
      if (todo.length > 0) {
        const jobId = submitSlurm(
          store,
          sweep,
          todo.map((t) => t.index),
        );
        events.message(`submitted job array ${jobId} (${plural(todo.length, 'task')})`);
      }
      await followSlurm(store, sweep.id, controller.signal, events);
    }
  } finally {
    clearInterval(watch);
    opts.signal?.removeEventListener('abort', abort);
  }
  return settle(store, sweep.id, controller.signal.aborted);
}

/** Watches a local sweep another process drives until it ends (or that process dies: recovered as interrupted). */
async function followLocal(store: RunStore, sweepId: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    store.recoverStaleSweeps();
    if (store.getSweep(sweepId).status !== 'running') return;
    await sleep(POLL_MS, signal);
  }
}

/** Trainings whose exact config already has a completed run in the store are not trained again. */
function reuseCompleted(store: RunStore, sweep: SweepDetail, events: SweepEvents): void {
  for (const t of sweep.trainings) {
    if (t.state === 'done' || t.state === 'pending' || t.state === 'running') continue;
    const found = findReusableRun(store, t.config);
    if (found?.status !== 'completed') continue;
    store.updateSweepTraining(sweep.id, t.index, { state: 'done', runId: found.id, reused: true, error: null });
    events.training(t.index, 'done', `reused run ${found.id}`);
  }
}

/** The sweep's status from its trainings: completed, failed, cancelled, interrupted, or still running (Slurm). */
function settle(store: RunStore, sweepId: string, aborted: boolean): SweepDetail {
  const sweep = store.getSweep(sweepId);
  const live = sweep.trainings.some((t) => t.state === 'pending' || t.state === 'running');
  if (sweep.status === 'cancelled') {
    if (!live) store.setSweepStatus(sweep.id, 'cancelled', 'cancelled by the user');
  } else if (live) {
    // Slurm tasks outlive the driver: the sweep stays 'running' until someone follows it to the end
  } else if (aborted && sweep.trainings.some((t) => t.state !== 'done')) {
    store.setSweepStatus(sweep.id, 'interrupted', 'the driver was stopped; sweep resume continues');
  } else if (sweep.failed > 0 || sweep.completed < sweep.total) {
    store.setSweepStatus(
      sweep.id,
      'failed',
      `${sweep.total - sweep.completed} of ${sweep.total} trainings did not complete`,
    );
  } else store.setSweepStatus(sweep.id, 'completed');
  return store.getSweep(sweepId);
}

/** Cancels a sweep: marks it 'cancelled' (a local driver stops its trainings) and scancels Slurm tasks. */
export function cancelSweep(store: RunStore, sweepId: string): { sweep: SweepDetail; cancelledJobs: string[] } {
  const sweep = store.getSweep(sweepId);
  const cancelledJobs = sweep.options.executor === 'slurm' ? cancelSlurm(sweep) : [];
  store.setSweepStatus(sweep.id, 'cancelled', 'cancelled by the user');
  return { sweep: store.getSweep(sweep.id), cancelledJobs };
}
