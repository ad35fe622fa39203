/** `sen-lab figure`: the documented invocation end to end, flags, exit statuses, atomic output. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli, tempDir } from '../cli/helpers';
import { byClass, parseXml, readPng, runCliInProcess } from './helpers';

const tmp = tempDir('sen-lab-figure-cli-');
let runId = '';

beforeAll(async () => {
  const r = await runCli([
    'train',
    '--layers',
    '784,16,10',
    '--epochs',
    '1',
    '--train-size',
    '300',
    '--test-size',
    '100',
    '--db',
    tmp.db,
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  runId = lastJson<{ runId: string }>(r.stdout).runId;
});
afterAll(() => tmp.cleanup());

const cli = (args: string[]) => runCliInProcess(args, tmp.dir);

describe('sen-lab figure', () => {
  it('the documented invocation writes an SVG embedding (spawned CLI)', async () => {
    const out = join(tmp.dir, 'embedding.svg');
    const r = await runCli([
      'figure',
      '--run',
      runId,
      '--kind',
      'embedding',
      '--format',
      'svg',
      '--out',
      out,
      '--db',
      tmp.db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*embedding\.svg \(embedding, svg, 180 x [\d.]+ mm\)/);
    const root = parseXml(readFileSync(out, 'utf8'));
    expect(root.attrs.width).toBe('180mm');
    expect(byClass(root, 'layer-0')).toHaveLength(1);
  });

  it('--json reports size and pixels; the PNG has them; the format follows the extension', async () => {
    const out = join(tmp.dir, 'curves.png');
    const r = await cli([
      'figure',
      '--run',
      runId.slice(0, 6),
      '--kind',
      'curves',
      '--width',
      'single',
      '--dpi',
      '300',
      '--out',
      'curves.png',
      '--db',
      tmp.db,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      out: string;
      format: string;
      kind: string;
      widthMm: number;
      heightMm: number;
      pixels: [number, number];
    };
    expect(j).toMatchObject({ out, format: 'png', kind: 'curves', widthMm: 88 });
    expect(j.pixels[0]).toBe(1039);
    const info = readPng(readFileSync(out));
    expect([info.width, info.height]).toEqual(j.pixels);
    expect(j.pixels[1]).toBe(Math.round((j.heightMm / 25.4) * 300));
  });

  it('histograms at a rate, with the bins as CSV', async () => {
    const r = await cli([
      'figure',
      '--run',
      runId,
      '--kind',
      'histograms',
      '--rate',
      '0.6',
      '--scope',
      'per-layer',
      '--out',
      'h.svg',
      '--csv',
      'h.csv',
      '--db',
      tmp.db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(tmp.dir, 'h.svg'), 'utf8')).toContain('kept at 60% (per-layer)');
    expect(readFileSync(join(tmp.dir, 'h.csv'), 'utf8')).toMatch(/^series,layer,bin_lo,bin_hi,all,kept\n/);
  });

  it('PDF plus --csv, custom width in mm, transparent PNG', async () => {
    const r = await cli([
      'figure',
      '--run',
      runId,
      '--kind',
      'stacked',
      '--edges',
      '200',
      '--width',
      '120',
      '--out',
      'stacked.pdf',
      '--csv',
      'stacked.csv',
      '--db',
      tmp.db,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'pdf', widthMm: 120 });
    expect(readFileSync(join(tmp.dir, 'stacked.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(tmp.dir, 'stacked.csv'), 'utf8')).toMatch(/^epoch,item,layer,i,j,x,y,z,distance,weight\n/);
    const t = await cli([
      'figure',
      '--run',
      runId,
      '--kind',
      'curves',
      '--transparent',
      '--dpi',
      '72',
      '--out',
      't.png',
      '--db',
      tmp.db,
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(readPng(readFileSync(join(tmp.dir, 't.png'))).topLeft[3]).toBe(0);
  });

  it.each([
    [['--kind', 'embedding', '--out', 'x.bmp'], /--format/],
    [['--kind', 'embedding', '--format', 'gif', '--out', 'x.svg'], /invalid --format/],
    [['--kind', 'curves', '--dpi', '10', '--out', 'x.png'], /--dpi: must be at least 50/],
    [['--kind', 'curves', '--dpi', '300', '--out', 'x.svg'], /--dpi applies to --format png/],
    [['--kind', 'curves', '--width', '5', '--out', 'x.svg'], /invalid --width/],
    [['--kind', 'curves', '--font-size', '40', '--out', 'x.svg'], /--font-size/],
    [['--kind', 'curves', '--edges', '10', '--out', 'x.svg'], /--edges applies to stacked/],
    [['--kind', 'embedding', '--digit', '12', '--out', 'x.svg'], /--digit: the model has 10 classes/],
    [['--kind', 'embedding'], /missing --out/],
    [['--kind', 'pie', '--out', 'x.svg'], /invalid --kind/],
    [['--kind', 'curves', '--out', 'no-such-folder/x.svg'], /folder .* does not exist/],
    [['--kind', 'curves', '--out', 'x.svg', '--colour', 'red'], /colour/],
    [['--kind', 'histograms', '--out', 'x.svg'], /missing --rate/],
    [['--kind', 'histograms', '--rate', '1', '--out', 'x.svg'], /invalid --rate/],
    [['--kind', 'histograms', '--rate', '0.5', '--scope', 'local', '--out', 'x.svg'], /invalid --scope/],
    [['--kind', 'curves', '--rate', '0.5', '--out', 'x.svg'], /--rate applies to histograms/],
    [['--kind', 'membrane', '--out', 'x.svg'], /missing --neuron/],
    [['--kind', 'membrane', '--neuron', 'a:b', '--out', 'x.svg'], /invalid --neuron/],
  ])('bad flags exit 2: %j', async (args, message) => {
    const r = await cli(['figure', '--run', runId, ...args, '--db', tmp.db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Run 'sen-lab figure --help'/);
  });

  it('an unknown run exits 1 with a clear message and writes nothing', async () => {
    const before = readdirSync(tmp.dir).sort();
    const r = await cli(['figure', '--run', 'nosuchrun', '--kind', 'curves', '--out', 'never.svg', '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no run with id 'nosuchrun'/);
    expect(existsSync(join(tmp.dir, 'never.svg'))).toBe(false);
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
  });

  it('a kind that does not fit the run exits 1 naming the reason', async () => {
    const r = await cli(['figure', '--run', runId, '--kind', 'z-histogram', '--out', 'z.svg', '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs a relaxed run/);
    expect(existsSync(join(tmp.dir, 'z.svg'))).toBe(false);
  });
});
