/**
 * One task of a sweep on a cluster node (`sen-lab sweep task --job FILE --index N`): trains one planned
 * training into its own run bundle on the shared folder, never into the user's store. A task started
 * again for the same bundle (after a cancel, pre-emption, time limit or failure) resumes the run
 * from the checkpoint of its last finished epoch.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PlannedTraining } from '../../shared/sweep';
import { RunStore } from '../store/index';
import { runTraining, TrainingFailedError } from '../train/run-training';
import { sweepTag } from './events';
import { BUNDLE_DB, BUNDLE_MANIFEST, readManifest, sealBundle, type BundleManifest } from './bundle';

export const JOB_FORMAT = 'sen-lab-sweep-job';

/** The job file the driver writes next to the bundles: every training of the sweep by index. */
export interface SweepJobFile {
  format: typeof JOB_FORMAT;
  version: 1;
  sweepId: string;
  /** bundles go to `${bundlesDir}/${index}` */
  bundlesDir: string;
  trainings: Pick<PlannedTraining, 'index' | 'key' | 'config'>[];
}

/** Reads and checks a job file. @throws Error naming the file */
export function readJobFile(file: string): SweepJobFile {
  let job: SweepJobFile;
  try {
    job = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepJobFile;
  } catch (err) {
    throw new Error(`sweep job file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (job?.format !== JOB_FORMAT || job.version !== 1 || !Array.isArray(job.trainings)) {
    throw new Error(`${file} is not a sweep job file of this SEN Lab version`);
  }
  return job;
}

/** The bundle folder of training `index`. */
export function bundleDir(job: Pick<SweepJobFile, 'bundlesDir'>, index: number): string {
  return path.join(job.bundlesDir, String(index));
}

/**
 * Trains (or resumes) training `index` of the job into its bundle and seals it, whatever the ending.
 * `signal` (SIGTERM from scancel or a time limit) stops after the current batch: the run is sealed as
 * 'interrupted' with its checkpoint.
 */
export async function runSweepTask(job: SweepJobFile, index: number, signal?: AbortSignal): Promise<BundleManifest> {
  const t = job.trainings.find((x) => x.index === index);
  if (!t) throw new Error(`sweep ${job.sweepId} has no training ${index}`);
  const dir = bundleDir(job, index);
  fs.mkdirSync(dir, { recursive: true });
  const sealed = readManifest(dir);
  if (sealed?.status === 'completed') return sealed;
  if (sealed) fs.rmSync(path.join(dir, BUNDLE_MANIFEST)); // reopened: no longer sealed until this task ends
  const slurmJobId = process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${index}` : undefined;
  const store = RunStore.open(path.join(dir, BUNDLE_DB));
  let failure: Error | null = null;
  try {
    const existing = store.listRuns({ includeArchived: true })[0];
    // a task killed outright leaves its run 'running' under another host or pid; we own the bundle now
    if (existing?.status === 'running')
      store.finishRun(existing.id, 'interrupted', { error: 'the task stopped without finishing' });
    if (existing?.status !== 'completed') {
      await runTraining({
        store,
        ...(existing ? { resumeId: existing.id } : { config: t.config, tags: [sweepTag(job.sweepId)] }),
        signal,
      });
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    if (!(err instanceof TrainingFailedError) && store.listRuns({ includeArchived: true }).length === 0) {
      store.close();
      throw failure; // nothing trained (bad data set, stopped before the start): no bundle to seal
    }
  } finally {
    store.close();
  }
  const manifest = sealBundle(dir, { sweepId: job.sweepId, index, key: t.key, ...(slurmJobId ? { slurmJobId } : {}) });
  if (failure) throw failure;
  return manifest;
}
