/** `sen-lab sweep` on the local executor, through the real CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { lastJson, runCli, startCli, tempDir } from '../cli/helpers';

const tmp = tempDir('sen-lab-sweep-');
afterAll(() => tmp.cleanup());

interface SweepLine {
  sweepId: string;
  status: string;
  runs: string[];
  completed: number;
  failed: number;
}

function spec(name: string, body: object): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

const SMALL = { 'training.epochs': 1, 'dataset.trainSize': 500, 'dataset.testSize': 200 };

describe('sen-lab sweep (local executor)', () => {
  it('runs every training, prints the summary line, and reuses completed runs on a second sweep', async () => {
    const file = spec('lr.json', { name: 'lr', set: SMALL, grid: { 'training.learningRate': [0.005, 0.01, 0.02] } });
    const r = await runCli(['sweep', 'run', '--spec', file, '--max-parallel', '2', '--db', tmp.db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const first = lastJson<SweepLine>(r.stdout);
    expect(first).toMatchObject({ status: 'completed', completed: 3, failed: 0 });
    expect(new Set(first.runs).size).toBe(3);

    const again = await runCli(['sweep', 'run', '--spec', file, '--db', tmp.db, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const second = lastJson<SweepLine>(again.stdout);
    expect(second.runs).toEqual(first.runs);
    expect(again.stderr).toMatch(/reused run/);

    const store = RunStore.open(tmp.db);
    try {
      const sweep = store.getSweep(first.sweepId);
      expect(sweep.trainings.map((t) => t.config.training.learningRate)).toEqual([0.005, 0.01, 0.02]);
      expect(sweep.trainings.every((t) => t.state === 'done' && !t.reused)).toBe(true);
      expect(store.getSweep(second.sweepId).trainings.every((t) => t.reused)).toBe(true);
      expect(store.sweepsOfRuns([first.runs[0]])[first.runs[0]]).toEqual(
        expect.arrayContaining([first.sweepId, second.sweepId]),
      );
      for (const id of first.runs) expect(store.getRun(id).tags).toContain(`sweep:${first.sweepId}`);
    } finally {
      store.close();
    }
    const list = await runCli(['sweep', 'list', '--db', tmp.db]);
    expect(list.stdout).toContain(first.sweepId);
    const show = await runCli(['sweep', 'show', first.sweepId.slice(0, 6), '--db', tmp.db, '--json']);
    expect(JSON.parse(show.stdout).trainings).toHaveLength(3);
  });

  it('refuses a bad spec before anything runs, naming the path (exit 1, like a bad --config file)', async () => {
    const db = join(tmp.dir, 'bad.db');
    const file = spec('bad.json', { grid: { 'training.learningRate': [0.01, 'fast'] } });
    const r = await runCli(['sweep', 'run', '--spec', file, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/grid\["training.learningRate"\]\[1\]: training.learningRate must be a number/);
    const slurmOnly = await runCli(['sweep', 'run', '--spec', file, '--partition', 'x', '--db', db]);
    expect(slurmOnly.code).toBe(2);
    expect(slurmOnly.stderr).toMatch(/--partition need --executor slurm/);
  });

  it('dry-run prints the plan and an estimate from recorded speeds without running anything', async () => {
    const file = spec('dry.json', { set: SMALL, grid: { 'training.learningRate': [0.005, 0.03] }, seeds: [1, 2] });
    const r = await runCli(['sweep', 'run', '--spec', file, '--dry-run', '--db', tmp.db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { trainings: unknown[]; estimate: { cpuHours: number; known: number } };
    expect(out.trainings).toHaveLength(4);
    expect(out.estimate.known).toBe(4); // the first test recorded this model's speed
    expect(out.estimate.cpuHours).toBeGreaterThan(0);
  });

  it('cancel stops a running local sweep; resume finishes only what is missing', async () => {
    const db = join(tmp.dir, 'cancel.db');
    const file = spec('long.json', {
      name: 'long',
      set: { ...SMALL, 'training.epochs': 2, 'dataset.trainSize': 2000 },
      seeds: [1, 2, 3],
    });
    const driver = startCli(['sweep', 'run', '--spec', file, '--max-parallel', '1', '--db', db, '--json']);
    let sweepId = '';
    for (let i = 0; i < 600 && sweepId === ''; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const store = RunStore.open(db);
      try {
        const s = store.listSweeps()[0];
        if (s && s.completed >= 1) sweepId = s.id;
      } finally {
        store.close();
      }
    }
    expect(sweepId).not.toBe('');
    const c = await runCli(['sweep', 'cancel', sweepId, '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    const ended = await driver.result;
    expect(ended.code).toBe(1);
    const cancelled = lastJson<SweepLine>(ended.stdout);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.completed).toBeLessThan(3);

    const r = await runCli(['sweep', 'resume', sweepId, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = lastJson<SweepLine>(r.stdout);
    expect(done).toMatchObject({ status: 'completed', completed: 3, failed: 0 });
    expect(new Set(done.runs).size).toBe(3);
    expect(done.runs).toEqual(expect.arrayContaining(cancelled.runs.slice(0, cancelled.completed)));
  });
});
