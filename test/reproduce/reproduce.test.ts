/**
 * A tiny reproduction end to end: the core runner with a test-only experiment list (quick and
 * baseline-14, 1 epoch on 1000/300 images), its report and figures, reuse on a second call, an
 * abort that keeps the report, and the CLI (`--models`, `--json`, usage errors).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reproduce, TABLE1, type AccuracyExperiment, type ReproduceResults } from '../../src/core/reproduce/index';
import { RunStore } from '../../src/core/store/index';
import { lastJson, runCli, tempDir } from '../cli/helpers';

const tmp = tempDir('sen-reproduce-');
afterAll(() => tmp.cleanup());

/** Table 1 with two small models in place of the paper's: the quick spatial MLP (drawn as Fig. 6) and Baseline 14. */
const TINY: AccuracyExperiment = {
  ...TABLE1,
  rows: [
    { id: 'quick', label: 'quick spatial MLP', preset: 'quick', paper: { mean: 0.9217, std: 0.0024 }, embedding: true },
    TABLE1.rows.find((r) => r.id === 'baseline-14')!,
  ],
};
const BUDGET = { epochs: 1, trainSize: 1000, testSize: 300 };

function isSvg(path: string): boolean {
  const text = readFileSync(path, 'utf8');
  return /^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(text) && text.trimEnd().endsWith('</svg>');
}

describe('reproduce (core)', () => {
  let first: ReproduceResults;
  const out = join(tmp.dir, 'report');

  it('trains, compares with the paper and writes the report, figures and JSON', async () => {
    const store = RunStore.open(tmp.db);
    const messages: string[] = [];
    try {
      first = await reproduce({
        store,
        outDir: out,
        experimentList: [TINY],
        seeds: [1],
        budget: BUDGET,
        onProgress: (p) => messages.push(p.message),
      });
    } finally {
      store.close();
    }
    expect(first.status).toBe('completed');
    expect(first.shortened).toBe(true);
    expect(first.deviations[0]).toBe('shortened: 1 epoch instead of 300');
    expect(first.trainedRuns).toHaveLength(2);
    expect(first.reusedRuns).toEqual([]);
    expect(messages.some((m) => /training \(1 epoch\)/.test(m))).toBe(true);
    const [t] = first.experiments;
    expect(t.kind).toBe('accuracy');
    if (t.kind !== 'accuracy') return;
    expect(t.rows.map((r) => [r.id, r.params, r.ours?.n])).toEqual([
      ['quick', 2896, 1],
      ['baseline-14', 11140, 1],
    ]);
    expect(t.rows[1].difference).toBeCloseTo(t.rows[1].ours!.mean - 0.9429, 12);

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/SHORTENED/);
    expect(md).toContain('shortened: 1 epoch instead of 300');
    expect(md).toContain('shortened: trained on the first 1,000 of 60,000 training images');
    expect(md).toMatch(
      /\| MLP Baseline 14 `baseline-14` \| 11,140 \| 11,140 ✓ \| 94\.29 ± 0\.28 \| \d+\.\d\d \(n=1\) \| [-+]\d+\.\d\d \| r\w+ \|/,
    );
    expect(md).toContain('92.17 ± 0.24');
    expect(md).toContain(t.rows[0].runs[0].runId);
    expect(first.figures.map((f) => f.kind).sort()).toEqual(['curves', 'embedding']);
    expect(first.figureErrors).toEqual([]);
    for (const f of first.figures) {
      expect(md).toContain(`](${f.file})`);
      expect(isSvg(join(out, f.file)), f.file).toBe(true);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<table>.*94\.29 ± 0\.28/s);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(first);
  });

  it('reuses the completed runs on a second identical call (no new runs)', async () => {
    const store = RunStore.open(tmp.db);
    try {
      const before = store.listRuns().length;
      const again = await reproduce({ store, outDir: out, experimentList: [TINY], seeds: [1], budget: BUDGET });
      expect(store.listRuns().length).toBe(before);
      expect(again.trainedRuns).toEqual([]);
      expect(again.reusedRuns.sort()).toEqual([...first.trainedRuns].sort());
      const rows = again.experiments[0].kind === 'accuracy' ? again.experiments[0].rows : [];
      expect(rows.every((r) => r.runs.every((x) => x.reused))).toBe(true);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('(reused)');
    } finally {
      store.close();
    }
  });

  it('stops on abort, keeping a report that says so', async () => {
    const store = RunStore.open(tmp.db);
    const controller = new AbortController();
    const dir = join(tmp.dir, 'aborted');
    try {
      const r = await reproduce({
        store,
        outDir: dir,
        experimentList: [TINY],
        seeds: [7],
        budget: { epochs: 2, trainSize: 1000, testSize: 300 },
        signal: controller.signal,
        onTraining: (p) => p.type === 'batch' && controller.abort(),
      });
      expect(r.status).toBe('interrupted');
      expect(r.trainedRuns).toEqual([]);
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/\*\*Interrupted\*\*/);
    } finally {
      store.close();
    }
  });
});

describe('sen-lab reproduce (CLI)', () => {
  it('runs a filtered, shortened reproduction and prints the results as JSON', async () => {
    const out = join(tmp.dir, 'cli');
    const args = ['reproduce', '--experiments', 'table1', '--models', 'baseline-14', '--seeds', '1', '--epochs', '1'];
    const r = await runCli([
      ...args,
      '--train-size',
      '1000',
      '--test-size',
      '300',
      '--out',
      out,
      '--db',
      tmp.db,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = lastJson<ReproduceResults>(r.stdout);
    expect(res).toMatchObject({ status: 'completed', shortened: true, trainedRuns: [], models: ['baseline-14'] });
    expect(res.reusedRuns).toHaveLength(1); // trained by the core test above with the same config
    expect(r.stderr).toMatch(/reusing completed run/);
    expect(r.stderr).toMatch(/shortened: 1 epoch instead of 300/);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('refuses bad flags with exit status 2 and the usage', async () => {
    for (const bad of [
      ['--budget', '0'],
      ['--budget', '1.5'],
      ['--budget', '0.1', '--epochs', '3'],
      ['--experiments', 'table9'],
      ['--models', 'nope'],
      ['--seeds', 'a'],
      ['--frobnicate'],
    ]) {
      const r = await runCli(['reproduce', ...bad, '--db', tmp.db]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Run 'sen-lab reproduce --help'/);
    }
  });
});
