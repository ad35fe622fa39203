/**
 * Overhead per training of the sweep executors, local vs Slurm (never part of npm test):
 *   node --import tsx bench/sweep/overhead.ts [--trainings N]
 * Runs the same tiny sweep (1 epoch on 500 images, one training at a time) through `sen-lab sweep run`
 * with each executor and prints, per training, wall time minus the training's own recorded time
 * (sum of its epoch durations): worker or process start, data loading, Slurm scheduling, bundle import.
 * The Slurm figure needs a running cluster (scripts/slurm-cluster.sh start).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RunStore } from '../../src/core/store/index';

const n = Number(process.argv[process.argv.indexOf('--trainings') + 1]) || 4;
const bin = resolve(import.meta.dirname, '../../bin/sen-lab.mjs');
const dir = mkdtempSync(join(tmpdir(), 'sen-lab-overhead-'));
const spec = join(dir, 'spec.json');
writeFileSync(
  spec,
  JSON.stringify({
    set: { 'training.epochs': 1, 'dataset.trainSize': 500, 'dataset.testSize': 200 },
    seeds: Array.from({ length: n }, (_, i) => 100 + i),
  }),
);

function measure(executor: 'local' | 'slurm'): { wallPerTraining: number; trainPerTraining: number } | string {
  const db = join(dir, `${executor}.db`);
  const args = [
    bin,
    'sweep',
    'run',
    '--spec',
    spec,
    '--executor',
    executor,
    '--max-parallel',
    '1',
    '--db',
    db,
    '--json',
  ];
  if (executor === 'slurm') args.push('--shared-dir', join(dir, 'shared'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const store = RunStore.open(db);
  try {
    const runs = store.listRuns();
    const train = runs.reduce((a, x) => a + x.durationMs, 0);
    return { wallPerTraining: wall / n, trainPerTraining: train / n };
  } finally {
    store.close();
  }
}

try {
  for (const executor of ['local', 'slurm'] as const) {
    const m = measure(executor);
    if (typeof m === 'string') console.log(`${executor}: ${m}`);
    else {
      const over = m.wallPerTraining - m.trainPerTraining;
      console.log(
        `${executor}: ${n} trainings one at a time: ${(m.wallPerTraining / 1000).toFixed(2)} s wall per training, ` +
          `${(m.trainPerTraining / 1000).toFixed(2)} s of it training, overhead ${(over / 1000).toFixed(2)} s per training`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
