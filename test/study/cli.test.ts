/**
 * `sen-lab study` end to end through the real CLI (node bin/sen-lab.mjs): a small study on a
 * trained 784-16-10 run, list/show (table, CSV, JSON), usage errors (exit 2) and Ctrl-C.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import type { StudyDetail, StudySummary } from '../../src/shared/lab-api';
import { runCli, startCli } from '../cli/helpers';
import { tempDir, trainTiny } from './helpers';

const tmp = tempDir('sen-study-cli-');
let baseId: string;
let study: StudyDetail;

beforeAll(async () => {
  const store = RunStore.open(tmp.db);
  try {
    baseId = await trainTiny(store);
  } finally {
    store.close();
  }
});
afterAll(() => tmp.cleanup());

describe('sen-lab study', () => {
  it('runs a study, prints progress on stderr and the StudyDetail as JSON on stdout', async () => {
    const flags = ['--rates', '0.5,0.9', '--modes', 'post,during', '--name', 'cli study', '--db', tmp.db, '--json'];
    const r = await runCli(['study', '--models', `run:${baseId}`, ...flags]);
    expect(r.code, r.stderr).toBe(0);
    study = JSON.parse(r.stdout) as StudyDetail;
    expect(study).toMatchObject({ name: 'cli study', status: 'completed', done: 4, total: 4 });
    expect(study.results.filter((x) => x.mode === 'post').every((x) => x.runId === baseId)).toBe(true);
    expect(r.stderr).toMatch(/\[0\/4\] starting/);
    expect(r.stderr).toMatch(/\[4\/4\] completed/);
  });

  it('lists and shows studies as a table, CSV and JSON', async () => {
    const list = await runCli(['study', 'list', '--db', tmp.db, '--json']);
    expect((JSON.parse(list.stdout) as StudySummary[]).map((s) => s.id)).toEqual([study.id]);
    const text = await runCli(['study', 'list', '--db', tmp.db]);
    expect(text.stdout).toMatch(new RegExp(`${study.id}\\s+cli study\\s+completed\\s+4/4`));

    const table = await runCli(['study', 'show', study.id.slice(0, 6), '--db', tmp.db]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/MODEL\s+MODE\s+RATE\s+TEST ACC \(MEAN ± STD\)\s+N/);
    expect(table.stdout).toMatch(/during\s+90%\s+\d+\.\d\d%\s+1/); // one seed: no "± 0.00" (std is undefined for n = 1)
    const csv = await runCli(['study', 'show', study.id, '--csv', '--db', tmp.db]);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('model,mode,rate,mean,std,n,sparsity');
    expect(lines).toHaveLength(1 + 1 + 4); // header, baseline, 2 modes x 2 rates
    expect(lines[1]).toMatch(/,baseline,0,/);
    const json = await runCli(['study', 'show', study.id, '--json', '--db', tmp.db]);
    expect(JSON.parse(json.stdout)).toEqual(study);
  });

  it('refuses bad flags and specs with exit status 2 and the usage', async () => {
    for (const args of [
      ['study', '--rates', '0.5'],
      ['study', '--models', 'quick', '--modes', 'sideways'],
      ['study', '--models', 'quick', '--rates', '0.5,1'],
      ['study', '--models', 'run:rnope12345'],
      ['study', '--models', 'quick', '--seeds', '1.5'],
      ['study', '--models', 'quick', '--colour', 'red'],
      ['study', 'frobnicate'],
      ['study', 'show'],
    ]) {
      const r = await runCli([...args, '--db', tmp.db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain("Run 'sen-lab study --help'");
    }
    const unknown = await runCli(['study', 'show', 'snope12345', '--db', tmp.db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no study with id/);
  });

  it('Ctrl-C stops the study: exit 130, kept as interrupted', async () => {
    const cli = startCli([
      'study',
      '--models',
      `run:${baseId}`,
      '--rates',
      '0.3,0.6',
      '--modes',
      'during',
      '--db',
      tmp.db,
    ]);
    let stderr = '';
    await new Promise<void>((done) => {
      cli.child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/training tiny seed 1|training .* seed 1 \(during/.test(stderr)) done();
      });
    });
    cli.child.kill('SIGINT');
    const r = await cli.result;
    expect(r.code, r.stderr).toBe(130);
    const list = JSON.parse((await runCli(['study', 'list', '--db', tmp.db, '--json'])).stdout) as StudySummary[];
    expect(list[0]).toMatchObject({ status: 'interrupted', total: 2 });
  });
});
