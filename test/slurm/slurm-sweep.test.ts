/**
 * Sweeps on a real single-node Slurm cluster (scripts/slurm-cluster.sh, started by .ci/run before
 * npm test): job arrays, bundles imported as they land, scancel mid-run and resume from the
 * checkpoint, re-attaching a driver, and equality with local training (training is deterministic).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { lastJson, runCli, tempDir } from '../cli/helpers';
import { bundleEpochs, sleep, slurmMissing, squeueLines } from './helpers';

const missing = slurmMissing();
const tmp = tempDir('sen-lab-slurm-');
afterAll(() => tmp.cleanup());

interface SweepLine {
  sweepId: string;
  status: string;
  runs: string[];
  completed: number;
  failed: number;
}

const EPOCHS = 4;
const SPEC = {
  name: 'slurm e2e',
  set: { 'training.epochs': EPOCHS, 'dataset.trainSize': 2000, 'dataset.testSize': 500 },
  grid: { 'training.learningRate': [0.005, 0.01] },
  seeds: [1, 2],
};

function withStore<T>(db: string, fn: (s: RunStore) => T): T {
  const store = RunStore.open(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** key -> every epoch's losses and accuracies, for the trainings of a sweep (times left out). */
function metricsByKey(db: string, sweepId: string): Record<string, number[][]> {
  return withStore(db, (s) =>
    Object.fromEntries(
      s
        .getSweep(sweepId)
        .trainings.map((t) => [
          t.key,
          s.getRun(t.runId!).epochs.map((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy]),
        ]),
    ),
  );
}

/** key -> sha256 of the final model, for the trainings of a sweep. */
function modelsByKey(db: string, sweepId: string): Record<string, string> {
  return withStore(db, (s) =>
    Object.fromEntries(
      s
        .getSweep(sweepId)
        .trainings.map((t) => [t.key, createHash('sha256').update(s.getFinalModel(t.runId!)!).digest('hex')]),
    ),
  );
}

describe.skipIf(!!missing)(`sweeps on a real Slurm cluster${missing ? ` [skipped: ${missing}]` : ''}`, () => {
  it('a 4-training job array: one task scancelled mid-run, the driver re-attached, resume finishes it from its checkpoint; models equal local training', async () => {
    const spec = join(tmp.dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(SPEC));
    const db = join(tmp.dir, 'slurm.db');
    const shared = join(tmp.dir, 'shared');
    const submit = await runCli([
      'sweep',
      'run',
      '--spec',
      spec,
      '--executor',
      'slurm',
      '--shared-dir',
      shared,
      '--cpus-per-task',
      '1',
      '--time',
      '00:10:00',
      '--sbatch-arg=--comment=sen-lab-e2e',
      '--detach',
      '--db',
      db,
      '--json',
    ]);
    expect(submit.code, submit.stderr).toBe(0);
    const { sweepId } = lastJson<SweepLine>(submit.stdout);
    expect(submit.stderr).toMatch(/submitted job array \d+ \(4 tasks\)/);
    const task0 = withStore(db, (s) => s.getSweep(sweepId).trainings[0]);
    expect(task0.slurmJobId).toMatch(/^\d+_0$/);

    // cancel task 0 once it has a checkpoint, before it can finish
    const bundle0 = join(shared, sweepId, 'bundles', '0', 'run.db');
    for (let i = 0; i < 1200 && bundleEpochs(bundle0) < 1; i++) await sleep(50);
    expect(bundleEpochs(bundle0)).toBeGreaterThanOrEqual(1);
    expect(spawnSync('scancel', [task0.slurmJobId!]).status).toBe(0);

    // a new driver re-attaches and follows the array to its end
    const follow = await runCli(['sweep', 'show', sweepId, '--follow', '--db', db, '--json']);
    const followed = lastJson<SweepLine>(follow.stdout);
    expect(followed, follow.stderr).toMatchObject({ status: 'failed', completed: 3, failed: 1 });
    const cancelled = withStore(db, (s) => {
      const t = s.getSweep(sweepId).trainings[0];
      return { t, run: s.getRun(t.runId!), checkpoint: s.getLatestCheckpoint(t.runId!) };
    });
    expect(cancelled.t).toMatchObject({ state: 'cancelled', slurmState: 'CANCELLED' });
    expect(cancelled.run.status).toBe('interrupted');
    expect(cancelled.run.epochsDone).toBeLessThan(EPOCHS);
    expect(cancelled.checkpoint?.epoch).toBe(cancelled.run.epochsDone);

    // resume resubmits only the cancelled task; it continues the same run from its checkpoint
    const resume = await runCli(['sweep', 'resume', sweepId, '--db', db, '--json']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stderr).toMatch(/submitted job array \d+ \(1 task\)/);
    expect(lastJson<SweepLine>(resume.stdout)).toMatchObject({ status: 'completed', completed: 4, failed: 0 });
    const resumed = withStore(db, (s) => s.getRun(cancelled.run.id));
    expect(resumed.status).toBe('completed');
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT resumed_at FROM runs WHERE id = ?').pluck().get(cancelled.run.id)).not.toBeNull();
    raw.close();

    // the same spec trained locally gives byte-identical final models, the resumed one included. The local
    // reference trains one at a time, as each Slurm task trains one: twice in the CI runs of three sessions a
    // local sweep training two at a time in one process, under the full suite's load, gave training 3 (lr 0.01,
    // seed 2, a network that does not learn) a different last epoch, the other three and every Slurm-trained
    // model matching (cause not found; not reproduced in 24 local sweeps under load here; README, Engine)
    const localDb = join(tmp.dir, 'local.db');
    const local = await runCli(['sweep', 'run', '--spec', spec, '--max-parallel', '1', '--db', localDb, '--json']);
    const localLine = lastJson<SweepLine>(local.stdout);
    expect(localLine.completed, local.stderr).toBe(4);
    // the metrics first: a difference then names the first epoch where the two trainings parted
    expect(metricsByKey(db, sweepId)).toEqual(metricsByKey(localDb, localLine.sweepId));
    expect(modelsByKey(db, sweepId)).toEqual(modelsByKey(localDb, localLine.sweepId));
  });

  it('sweep cancel scancels the pending and running tasks', async () => {
    const spec = join(tmp.dir, 'cancel.json');
    writeFileSync(spec, JSON.stringify({ ...SPEC, set: { ...SPEC.set, 'training.epochs': 50 } }));
    const db = join(tmp.dir, 'cancel.db');
    const submit = await runCli([
      'sweep',
      'run',
      '--spec',
      spec,
      '--executor',
      'slurm',
      '--shared-dir',
      join(tmp.dir, 'shared2'),
      '--max-parallel',
      '1',
      '--detach',
      '--db',
      db,
      '--json',
    ]);
    expect(submit.code, submit.stderr).toBe(0);
    const { sweepId } = lastJson<SweepLine>(submit.stdout);
    const jobId = withStore(db, (s) => s.getSweep(sweepId).trainings[0].slurmJobId!.split('_')[0]);
    expect(squeueLines(jobId).length).toBeGreaterThan(0);
    const cancel = await runCli(['sweep', 'cancel', sweepId, '--db', db]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/cancelled \(scancel /);
    const follow = await runCli(['sweep', 'show', sweepId, '--follow', '--db', db, '--json']);
    expect(lastJson<SweepLine>(follow.stdout)).toMatchObject({ status: 'cancelled', completed: 0 });
    expect(squeueLines(jobId)).toEqual([]);
  });

  it('a pruning study and a shortened reproduction train their runs through the Slurm executor', async () => {
    const db = join(tmp.dir, 'plans.db');
    const shared = join(tmp.dir, 'shared3');
    const study = await runCli([
      'study',
      '--models',
      'quick',
      '--rates',
      '0.5,0.9',
      '--modes',
      'post,during',
      '--seeds',
      '1',
      '--epochs',
      '1',
      '--train-size',
      '1000',
      '--test-size',
      '500',
      '--executor',
      'slurm',
      '--shared-dir',
      shared,
      '--db',
      db,
      '--json',
    ]);
    expect(study.code, study.stderr).toBe(0);
    expect(study.stderr).toMatch(/submitted job array \d+ \(3 tasks\)/);
    const detail = lastJson<{ status: string; done: number; total: number; results: { runId: string }[] }>(
      study.stdout,
    );
    expect(detail).toMatchObject({ status: 'completed', done: 4, total: 4 });
    const out = join(tmp.dir, 'report');
    const rep = await runCli([
      'reproduce',
      '--experiments',
      'table1',
      '--models',
      'paper-3d,baseline-14',
      '--budget',
      '0.01',
      '--seeds',
      '1',
      '--train-size',
      '500',
      '--test-size',
      '200',
      '--executor',
      'slurm',
      '--shared-dir',
      shared,
      '--out',
      out,
      '--db',
      db,
      '--json',
    ]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stderr).toMatch(/submitted job array \d+ \(2 tasks\)/);
    const results = lastJson<{ status: string; trainedRuns: string[]; reusedRuns: string[] }>(rep.stdout);
    expect(results.status).toBe('completed');
    expect(results.trainedRuns).toEqual([]); // every run came from the cluster and was reused
    expect(results.reusedRuns).toHaveLength(2);
    withStore(db, (s) => {
      const sweeps = s.listSweeps();
      expect(sweeps.map((w) => [w.executor, w.status, w.total])).toEqual([
        ['slurm', 'completed', 2],
        ['slurm', 'completed', 3],
      ]);
      for (const id of results.reusedRuns) expect(s.sweepsOfRuns([id])[id]).toEqual([sweeps[0].id]);
    });
  });
});
