import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunSummary } from '../../src/shared/run-config';
import { RunStore } from '../../src/core/store/index';
import { lastJson, runCli, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface TrainLine {
  runId: string;
  status: string;
  testAccuracy: number;
  params: number;
  backend: string;
  epochs: number;
}

describe('sen-lab train and the run commands', () => {
  let result: TrainLine;
  let epochLines: Record<string, unknown>[];

  beforeAll(async () => {
    const r = await runCli([
      'train',
      '--preset',
      'quick',
      '--epochs',
      '1',
      '--train-size',
      '2000',
      '--test-size',
      '500',
      '--tag',
      'cli-test',
      '--name',
      'cli run',
      '--json',
      '--db',
      tmp.db,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    result = lastJson<TrainLine>(r.stdout);
    epochLines = r.stdout
      .trim()
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  });

  it('prints one JSON line per epoch and the result last', () => {
    expect(epochLines).toHaveLength(1);
    expect(epochLines[0]).toMatchObject({ type: 'epoch', epoch: 1 });
    expect(result.runId).toMatch(/\S/);
    expect(result).toMatchObject({ status: 'completed', params: 2896, epochs: 1 });
    expect(result.backend).toMatch(/^(tensorflow|wasm|cpu|sen-simd \(\d+ threads?\))$/);
    // 20 Adam steps: enough to beat chance (accuracy 0.1, loss ln 10); the learning floors on real
    // MNIST are asserted in test/core/trainer.test.ts, which trains longer in-process
    expect(result.testAccuracy).toBeGreaterThan(0.1);
    expect(epochLines[0].testLoss as number).toBeLessThan(Math.log(10));
  });

  it('runs list --json gives RunSummary objects', async () => {
    const r = await runCli(['runs', 'list', '--json', '--db', tmp.db]);
    const runs = JSON.parse(r.stdout) as RunSummary[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: result.runId,
      status: 'completed',
      name: 'cli run',
      tags: ['cli-test'],
      epochsDone: 1,
    });
    const filtered = await runCli(['runs', 'list', '--json', '--status', 'failed', '--db', tmp.db]);
    expect(JSON.parse(filtered.stdout)).toEqual([]);
  });

  it('runs show prints the run (by id prefix) with its epochs', async () => {
    const r = await runCli(['runs', 'show', result.runId.slice(0, 6), '--db', tmp.db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(result.runId);
    expect(r.stdout).toContain('TEST ACC');
    const json = await runCli(['runs', 'show', result.runId, '--json', '--db', tmp.db]);
    const detail = JSON.parse(json.stdout) as RunDetail;
    expect(detail.epochs).toHaveLength(1);
    expect(detail.config.dataset).toEqual({ name: 'mnist', trainSize: 2000, testSize: 500 });
  });

  it('runs export --format csv gives per-epoch metrics', async () => {
    const out = join(tmp.dir, 'epochs.csv');
    const r = await runCli(['runs', 'export', result.runId, '--format', 'csv', '--out', out, '--db', tmp.db]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,durationMs,samplesPerSec');
    expect(lines).toHaveLength(2);
    expect(Number(lines[1].split(',')[4])).toBeCloseTo(result.testAccuracy, 10);
  });

  it('runs rename / tag / note / archive edit the run', async () => {
    const db = ['--db', tmp.db];
    expect((await runCli(['runs', 'rename', result.runId, 'renamed', ...db])).code).toBe(0);
    expect((await runCli(['runs', 'tag', result.runId, 'a', 'b', ...db])).code).toBe(0);
    expect((await runCli(['runs', 'note', result.runId, 'hello', ...db])).code).toBe(0);
    expect((await runCli(['runs', 'archive', result.runId, ...db])).code).toBe(0);
    expect(JSON.parse((await runCli(['runs', 'list', '--json', ...db])).stdout)).toEqual([]);
    const all = JSON.parse((await runCli(['runs', 'list', '--all', '--json', ...db])).stdout) as RunSummary[];
    expect(all[0]).toMatchObject({ name: 'renamed', tags: ['cli-test', 'a', 'b'], notes: 'hello', archived: true });
    expect((await runCli(['runs', 'archive', result.runId, '--undo', ...db])).code).toBe(0);
  });

  it('predict gives logits of the first test images', async () => {
    const r = await runCli(['predict', '--run', result.runId, '--count', '5', '--json', '--db', tmp.db]);
    expect(r.stderr).toBe('');
    const p = lastJson<{ runId: string; logits: number[][]; predictions: number[]; labels: number[] }>(r.stdout);
    expect(p.runId).toBe(result.runId);
    expect(p.logits).toHaveLength(5);
    for (const row of p.logits) expect(row).toHaveLength(10);
    expect(p.labels).toEqual([7, 2, 1, 0, 4]); // the first MNIST test labels
    expect(p.predictions).toEqual(p.logits.map((row) => row.indexOf(Math.max(...row))));
  });

  it('export-model writes every parameter with its shape', async () => {
    const out = join(tmp.dir, 'model.json');
    const r = await runCli(['export-model', '--run', result.runId, '--out', out, '--db', tmp.db]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      format: string;
      version: number;
      model: { layers: number[] };
      params: Record<string, { shape: number[]; data: number[] }>;
    };
    expect(doc).toMatchObject({ format: 'sen-lab-model', version: 1, model: { layers: [784, 128, 10] } });
    const shapes = Object.fromEntries(Object.entries(doc.params).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      'pos.0': [784, 2],
      'gap.0': [1],
      'inhib.0': [784],
      'pos.1': [128, 2],
      'gap.1': [1],
      'inhib.1': [128],
      'bias.1': [128],
      'pos.2': [10, 2],
      'bias.2': [10],
    });
    let total = 0;
    for (const { shape, data } of Object.values(doc.params)) {
      expect(data).toHaveLength(shape.reduce((a, b) => a * b, 1));
      total += data.length;
    }
    expect(total).toBe(result.params);
  });

  it('prune evaluates pruned copies and leaves the stored run untouched', async () => {
    const store = RunStore.open(tmp.db);
    const before = { run: store.getRun(result.runId), model: Buffer.from(store.getFinalModel(result.runId)!) };
    store.close();
    const r = await runCli(['prune', '--run', result.runId, '--rates', '0.2,0.8,0.95', '--db', tmp.db, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { rate: number; sparsity: number; testAccuracy: number }[];
    expect(rows.map((x) => x.rate)).toEqual([0.2, 0.8, 0.95]);
    for (const row of rows) {
      expect(Math.abs(row.sparsity - row.rate)).toBeLessThan(1 / 101_632 + 1e-12); // within one connection
      expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.testAccuracy).toBeLessThanOrEqual(1);
    }
    const after = RunStore.open(tmp.db);
    expect(after.getRun(result.runId)).toEqual(before.run);
    expect(Buffer.from(after.getFinalModel(result.runId)!).equals(before.model)).toBe(true);
    after.close();
    const bad = await runCli(['prune', '--run', result.runId, '--rates', '1.5', '--db', tmp.db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rates');
  });

  it('runs delete refuses without --yes when not on a terminal, deletes with it', async () => {
    const refused = await runCli(['runs', 'delete', result.runId, '--db', tmp.db]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--yes');
    const r = await runCli(['runs', 'delete', result.runId, '--yes', '--db', tmp.db]);
    expect(r.code).toBe(0);
    expect(JSON.parse((await runCli(['runs', 'list', '--all', '--json', '--db', tmp.db])).stdout)).toEqual([]);
    const gone = await runCli(['runs', 'show', result.runId, '--db', tmp.db]);
    expect(gone.code).toBe(1);
  });
});
