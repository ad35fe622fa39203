/** The 'study' figure kind: a pruning study's accuracy vs sparsity, through buildFigure, the CLI and the writers. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFigure } from '../../src/core/figures/load';
import { studyPoints } from '../../src/core/figures/kinds/study';
import { renderFigure } from '../../src/core/figures/render';
import { toSvg } from '../../src/core/figures/writers/svg';
import { RunStore } from '../../src/core/store/index';
import { tempDir } from '../cli/helpers';
import { runCliInProcess } from './helpers';
import { byClass, parseXml, readPng, seedStudy, texts } from './helpers';

const tmp = tempDir('sen-lab-figure-study-');
const store = RunStore.open(tmp.db);
const studyId = seedStudy(store);
const emptyId = store.createStudy({ name: 'empty', spec: { models: [{ preset: 'paper-3d' }] }, total: 6 }).id;
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const cli = (args: string[]) => runCliInProcess(args, tmp.dir);

describe("figure kind 'study'", () => {
  it('aggregates over seeds: mean, sample std and n per model, mode and rate', () => {
    const pts = studyPoints(store.getStudy(studyId));
    expect(pts).toHaveLength(9);
    const a = pts.find((p) => p.model === 'A' && p.mode === 'post' && p.rate === 0.2)!;
    expect(a.n).toBe(2);
    expect(a.mean).toBeCloseTo(0.9 - 0.1 - 0.015, 6);
    expect(a.std).toBeCloseTo(Math.SQRT1_2 * 0.01, 6);
    expect(pts.find((p) => p.model === 'B')!).toMatchObject({ n: 1, std: 0 });
  });

  it('draws a legend entry per model and mode, the unpruned references, axis labels and a CSV', async () => {
    const { figure, csv } = await buildFigure(store, { kind: 'study', studyId: studyId.slice(0, 6) });
    const root = parseXml(toSvg(figure));
    const legend = texts(byClass(root, 'legend')[0]);
    expect(legend).toEqual(['A post', 'A during', 'A unpruned', 'B post', 'B unpruned']);
    const axes = texts(byClass(root, 'axes')[0]);
    expect(axes).toContain('Sparsity (%)');
    expect(axes).toContain('Test accuracy');
    // one ±std band per model/mode with seeds to spread over (A post, A during), none for one seed (B)
    expect(byClass(root, 'spread')[0].children.filter((c) => c.name === 'polygon' || c.name === 'path')).toHaveLength(
      2,
    );
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('model,mode,rate,mean,std,n,sparsity');
    expect(lines).toHaveLength(1 + 2 + 9);
    expect(lines).toContain('A,unpruned,0,0.905,,2,0');
    expect(lines.find((l) => l.startsWith('A,post,0.2,'))).toMatch(/^A,post,0\.2,0\.785,0\.007071068,2,0\.201$/);
    expect(lines).toContain('B,post,0.9,0.34,0,1,0.9');
  });

  it("overlays the paper's curves with --paper", async () => {
    const { figure, csv } = await buildFigure(store, { kind: 'study', studyId, paper: true, width: 'double' });
    const legend = texts(byClass(parseXml(toSvg(figure)), 'legend')[0]);
    expect(legend).toEqual(
      expect.arrayContaining(['paper 3D post', 'paper 3D during', 'paper B14 post', 'paper B2048 post']),
    );
    expect(csv).toContain('paper 3D during,paper,0.95,0.826,,,0.95');
  });

  it('renders to PDF and PNG', async () => {
    const { figure } = await buildFigure(store, { kind: 'study', studyId });
    const pdf = await renderFigure(figure, { format: 'pdf' });
    expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe('%PDF-');
    const png = await renderFigure(figure, { format: 'png', dpi: 150 });
    expect(readPng(png.bytes).width).toBe(png.pixels![0]);
  });

  it('rejects a study without results, unknown studies and mixed requests', async () => {
    await expect(buildFigure(store, { kind: 'study', studyId: emptyId })).rejects.toThrow(/no results yet/);
    await expect(buildFigure(store, { kind: 'study', studyId: 'nope-nope' })).rejects.toThrow(
      /no study with id 'nope-nope'/,
    );
    await expect(buildFigure(store, { kind: 'study' })).rejects.toThrow(/needs a study id/);
    await expect(buildFigure(store, { kind: 'study', studyId, runIds: ['x'] })).rejects.toThrow(/not runs/);
    await expect(buildFigure(store, { kind: 'curves', runIds: ['x'], studyId })).rejects.toThrow(
      /only 'study' takes a study id/,
    );
  });
});

describe('sen-lab figure --study', () => {
  it('writes the study figure (exit 0) and its CSV', async () => {
    const r = await cli([
      'figure',
      '--study',
      studyId,
      '--kind',
      'study',
      '--format',
      'svg',
      '--out',
      'study.svg',
      '--csv',
      'study.csv',
      '--paper',
      '--db',
      tmp.db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*study\.svg \(study, svg, 88 x [\d.]+ mm\)/);
    const root = parseXml(readFileSync(join(tmp.dir, 'study.svg'), 'utf8'));
    expect(texts(byClass(root, 'legend')[0])).toContain('paper B14 post');
    expect(readFileSync(join(tmp.dir, 'study.csv'), 'utf8').split('\n')[0]).toBe('model,mode,rate,mean,std,n,sparsity');
    const png = await cli([
      'figure',
      '--study',
      studyId.slice(0, 6),
      '--kind',
      'study',
      '--out',
      'study.png',
      '--dpi',
      '200',
      '--db',
      tmp.db,
      '--json',
    ]);
    expect(png.code, png.stderr).toBe(0);
    expect(JSON.parse(png.stdout)).toMatchObject({ kind: 'study', format: 'png' });
  });

  it('exit 1 for an unknown study (nothing written); usage errors for mixed flags', async () => {
    const r = await cli(['figure', '--study', 'nope-nope', '--kind', 'study', '--out', 'none.svg', '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope-nope/);
    expect(existsSync(join(tmp.dir, 'none.svg'))).toBe(false);
    for (const args of [
      ['--kind', 'study', '--out', 'x.svg'],
      ['--kind', 'study', '--study', studyId, '--run', 'abc', '--out', 'x.svg'],
      ['--kind', 'curves', '--study', studyId, '--out', 'x.svg'],
      ['--kind', 'study', '--study', studyId, '--digit', '1', '--out', 'x.svg'],
    ]) {
      const u = await cli(['figure', ...args, '--db', tmp.db]);
      expect(u.code, args.join(' ')).toBe(2);
    }
  });
});
