/**
 * The Slurm executor: one job array per submission, each task `sen-lab sweep task` writing a run
 * bundle to the shared folder; the driver follows the tasks with squeue / scontrol and imports each
 * bundle into the store as it lands. The driver may exit at any time: the state lives in the store
 * and the shared folder, and `follow` picks it up again.
 */
import { plural } from '../../shared/format';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlurmOptions, SweepDetail, SweepTraining } from '../../shared/sweep';
import type { RunStore } from '../store/index';
import { importBundle, readManifest } from './bundle';
import type { SweepEvents } from './events';
import { arraySpec, sbatch, sbatchArgs, scancel, scontrolState, squeueStates, TERMINAL_STATES } from './slurm';
import { bundleDir, JOB_FORMAT, type SweepJobFile } from './task';

/** How often the driver asks Slurm (ms). */
export const POLL_MS = 1000;

/** The sweep's folder on the shared file system. */
export function sweepDir(sweep: Pick<SweepDetail, 'id' | 'options'>): string {
  const shared = sweep.options.slurm?.sharedDir;
  if (!shared) throw new Error(`sweep ${sweep.id} has no shared folder (slurm.sharedDir)`);
  return path.join(shared, sweep.id);
}

/** The command a node runs for `sen-lab`: $SEN_LAB_COMMAND, else this Node and this checkout's bin/sen-lab.mjs. */
export function senLabCommand(): string {
  if (process.env.SEN_LAB_COMMAND) return process.env.SEN_LAB_COMMAND;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'sen-lab.mjs');
    if (fs.existsSync(bin)) return `${shellQuote(process.execPath)} ${shellQuote(bin)}`;
  }
  return 'sen-lab';
}

/** Writes the job file and batch script, submits one array of `indices`, marks them pending. Returns the job id. */
export function submitSlurm(store: RunStore, sweep: SweepDetail, indices: number[]): string {
  const dir = sweepDir(sweep);
  const slurm: SlurmOptions = sweep.options.slurm ?? {};
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const jobFile = path.join(dir, 'job.json');
  const job: SweepJobFile = {
    format: JOB_FORMAT,
    version: 1,
    sweepId: sweep.id,
    bundlesDir: path.join(dir, 'bundles'),
    trainings: sweep.trainings.map(({ index, key, config }) => ({ index, key, config })),
  };
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const script = path.join(dir, 'task.sh');
  const env = slurm.backend ? `export SEN_LAB_BACKEND=${shellQuote(slurm.backend)}\n` : '';
  fs.writeFileSync(
    script,
    `#!/bin/sh\n# written by sen-lab for sweep ${sweep.id}\n${env}` +
      `exec ${senLabCommand()} sweep task --job ${shellQuote(jobFile)} --index "$SLURM_ARRAY_TASK_ID"\n`,
    { mode: 0o755 },
  );
  const args = sbatchArgs(
    slurm,
    arraySpec(indices, sweep.options.maxParallel),
    `sen-lab-${sweep.id}`,
    path.join(dir, 'logs', '%A_%a.out'),
    script,
  );
  const jobId = sbatch(args);
  for (const i of indices) {
    store.updateSweepTraining(sweep.id, i, {
      state: 'pending',
      slurmJobId: `${jobId}_${i}`,
      slurmState: 'PENDING',
      error: null,
    });
  }
  return jobId;
}

/** Follows the sweep's tasks until none is pending or running (or `signal`); imports bundles as they land. */
export async function followSlurm(
  store: RunStore,
  sweepId: string,
  signal: AbortSignal,
  events: SweepEvents,
): Promise<void> {
  for (;;) {
    const sweep = store.getSweep(sweepId);
    const live = sweep.trainings.filter((t) => (t.state === 'pending' || t.state === 'running') && t.slurmJobId);
    if (live.length === 0 || signal.aborted) return;
    pollOnce(store, sweep, live, events);
    await sleep(POLL_MS, signal);
  }
}

/** One look at Slurm and the shared folder. */
export function pollOnce(store: RunStore, sweep: SweepDetail, live: SweepTraining[], events: SweepEvents): void {
  const arrays = [...new Set(live.map((t) => t.slurmJobId!.split('_')[0]))];
  const queued = squeueStates(arrays);
  for (const t of live) {
    const q = queued.get(t.slurmJobId!);
    if (q !== undefined) {
      const state = q === 'PENDING' ? 'pending' : 'running';
      if (state !== t.state || q !== t.slurmState) {
        store.updateSweepTraining(sweep.id, t.index, { state, slurmState: q });
        events.training(t.index, state, `${t.slurmJobId} ${q}`);
      }
      continue;
    }
    settle(store, sweep, t, events);
  }
}

/** A task that left the queue: import its bundle, or record why there is none. */
function settle(store: RunStore, sweep: SweepDetail, t: SweepTraining, events: SweepEvents): void {
  const dir = bundleDir({ bundlesDir: path.join(sweepDir(sweep), 'bundles') }, t.index);
  const info = scontrolState(t.slurmJobId!);
  if (info && !TERMINAL_STATES.includes(info.state)) return; // between squeue and scontrol; look again
  const slurmState = info?.state ?? 'UNKNOWN';
  const set = (patch: Parameters<RunStore['updateSweepTraining']>[2], message?: string): void => {
    store.updateSweepTraining(sweep.id, t.index, { slurmState, ...patch });
    events.training(t.index, patch.state!, message);
  };
  let manifest;
  try {
    manifest = readManifest(dir);
  } catch (err) {
    return set({ state: 'failed', error: (err as Error).message });
  }
  if (!manifest || (manifest.slurmJobId !== undefined && manifest.slurmJobId !== t.slurmJobId)) {
    const why = `task ${t.slurmJobId} ended (${slurmState}${info?.exitCode ? `, exit ${info.exitCode}` : ''}) without sealing its bundle`;
    return set({
      state: slurmState === 'CANCELLED' ? 'cancelled' : 'failed',
      error: `${why}; sweep resume continues from its checkpoint`,
    });
  }
  try {
    const imported = importBundle(store, dir);
    if (manifest.status === 'completed')
      return set({ state: 'done', runId: imported.runId, error: null }, `imported run ${imported.runId}`);
    const state = slurmState === 'CANCELLED' ? 'cancelled' : 'failed';
    set({
      state,
      runId: imported.runId,
      error: `${slurmState}: run ${manifest.status} after ${plural(manifest.epochsDone, 'epoch')}; sweep resume continues from its checkpoint`,
    });
  } catch (err) {
    set({ state: 'failed', error: (err as Error).message });
  }
}

/** `scancel`s every pending or running task of the sweep. */
export function cancelSlurm(sweep: SweepDetail): string[] {
  const ids = sweep.trainings
    .filter((t) => (t.state === 'pending' || t.state === 'running') && t.slurmJobId)
    .map((t) => t.slurmJobId!);
  scancel(ids);
  return ids;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Resolves after `ms`, or at once when `signal` fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
