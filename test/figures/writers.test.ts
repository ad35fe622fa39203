/** SVG, PDF and PNG writers on a hand-built figure (no training needed). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curvesFigure } from '../../src/core/figures/kinds/curves';
import { mmToPt, type Figure } from '../../src/core/figures/model';
import { renderFigure, writeFileAtomic } from '../../src/core/figures/render';
import { toPng } from '../../src/core/figures/writers/png';
import { toSvg } from '../../src/core/figures/writers/svg';
import { byClass, hasTool, parseXml, readPng, texts } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'sen-lab-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const epochs = Array.from({ length: 6 }, (_, i) => ({
  epoch: i + 1,
  trainLoss: 1 / (i + 1),
  testLoss: 1.2 / (i + 1),
  trainAccuracy: 0.5 + i * 0.07,
  testAccuracy: 0.48 + i * 0.07,
  durationMs: 1,
  samplesPerSec: 1,
}));
const curves = curvesFigure({ runs: [{ name: 'run <a> & "b"', epochs }] }, { width: 'single' }).figure;

const sample: Figure = {
  widthPt: mmToPt(88),
  heightPt: mmToPt(40),
  title: 'sample',
  background: '#FFFFFF',
  children: [
    {
      type: 'group',
      name: 'g',
      clip: { x: 0, y: 0, width: 100, height: 100 },
      opacity: 0.5,
      children: [{ type: 'circle', cx: 10, cy: 10, r: 3, fill: '#4477AA' }],
    },
    { type: 'cross', x: 30, y: 30, r: 2, stroke: '#000000', strokeWidth: 0.5 },
    { type: 'polyline', points: [0, 0, 10, 10, 20, 0], stroke: '#EE6677', dash: [2, 1] },
    { type: 'text', x: 50, y: 50, text: 'Axis −1 μ', size: 8, anchor: 'middle', baseline: 'middle', rotate: -90 },
  ],
};

describe('SVG', () => {
  it('is well-formed, sized in mm with a viewBox in pt, text as <text>, legend included', () => {
    const root = parseXml(toSvg(curves));
    expect(root.name).toBe('svg');
    expect(root.attrs.width).toBe('88mm');
    expect(root.attrs.height).toMatch(/^\d+(\.\d+)?mm$/);
    const [x, y, w, h] = root.attrs.viewBox.split(' ').map(Number);
    expect([x, y]).toEqual([0, 0]);
    expect(w).toBeCloseTo(mmToPt(88), 1);
    expect(h / w).toBeCloseTo(parseFloat(root.attrs.height) / 88, 3);
    const t = texts(root);
    expect(t).toEqual(expect.arrayContaining(['Epoch', 'Loss', 'Accuracy', 'train', 'test']));
    expect(byClass(root, 'legend')).toHaveLength(1);
    expect(root.children.some((c) => c.name === 'path')).toBe(false); // no text turned into outlines
  });

  it('escapes markup in text and titles', () => {
    const fig = curvesFigure({
      runs: [
        { name: 'a', epochs },
        { name: 'x<y & "z"', epochs },
      ],
    }).figure;
    const root = parseXml(toSvg(fig));
    expect(texts(root)).toContain('x<y & "z"');
  });

  it('writes clip paths, group opacity, crosses, dashes and rotated text', () => {
    const svg = toSvg(sample);
    const root = parseXml(svg);
    expect(svg).toContain('clip-path="url(#clip1)"');
    expect(byClass(root, 'g')[0].attrs.opacity).toBe('0.5');
    expect(byClass(root, 'cross')).toHaveLength(1);
    expect(svg).toContain('stroke-dasharray="2 1"');
    expect(svg).toMatch(/transform="rotate\(-90 50 50\)/);
    expect(texts(root)).toContain('Axis −1 μ');
  });

  it('drops the background when transparent', () => {
    expect(toSvg(sample)).toContain('class="background"');
    expect(toSvg(sample, { transparent: true })).not.toContain('class="background"');
  });
});

describe('PNG', () => {
  it('88 mm at 300 dpi is exactly 1039 px wide; height follows; the dpi is recorded', () => {
    const r = toPng(curves, { dpi: 300 });
    const info = readPng(r.png);
    expect(info.width).toBe(1039);
    expect(info.height).toBe(Math.round((curves.heightPt / 72) * 300));
    expect(info.ppm).toBe(Math.round(300 / 0.0254));
    expect(info.topLeft.slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('sizes follow the dpi exactly (600 dpi, double column)', () => {
    const fig = { ...sample, widthPt: mmToPt(180) };
    const info = readPng(toPng(fig, { dpi: 600 }).png);
    expect(info.width).toBe(Math.round((180 / 25.4) * 600));
    expect(info.height).toBe(Math.round((40 / 25.4) * 600));
  });

  it('transparent: RGBA with alpha 0 where nothing is drawn', () => {
    const info = readPng(toPng(curves, { dpi: 100, transparent: true }).png);
    expect(info.colorType).toBe(6);
    expect(info.topLeft[3]).toBe(0);
    expect(readPng(toPng(curves, { dpi: 100 }).png).topLeft[3] ?? 255).toBe(255);
  });

  it('rejects unusable resolutions', () => {
    expect(() => toPng(curves, { dpi: 10 })).toThrow(/dpi/);
  });
});

describe('PDF', () => {
  const poppler = hasTool('pdftoppm') && hasTool('pdffonts');
  it.skipIf(!poppler)('renders with pdftoppm and embeds DejaVu Sans (pdffonts: emb yes)', async () => {
    const r = await renderFigure(curves, { format: 'pdf' });
    expect(Buffer.from(r.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const file = join(dir, 'curves.pdf');
    writeFileSync(file, r.bytes);
    execFileSync('pdftoppm', ['-png', '-r', '50', file, join(dir, 'page')]);
    const page = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(page).toBeDefined();
    const fonts = execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) {
      expect(line).toMatch(/DejaVuSans/);
      const cols = line.trim().split(/\s+/);
      expect(cols[cols.length - 5]).toBe('yes'); // emb column (emb sub uni object ID)
    }
    const pdfinfo = hasTool('pdfinfo') ? execFileSync('pdfinfo', [file]).toString() : '';
    if (pdfinfo) expect(pdfinfo).toMatch(/Page size:\s+249\.4\d* x/);
  });

  it('writes a page the size of the figure (MediaBox in pt)', async () => {
    const r = await renderFigure(sample, { format: 'pdf' });
    expect(Buffer.from(r.bytes).toString('latin1')).toMatch(/\/MediaBox \[0 0 249\.44\d* 113\.38\d*\]/);
    expect(r.widthMm).toBe(88);
    expect(r.heightMm).toBe(40);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the target and leaves no temporary file, also when writing fails', () => {
    const file = join(dir, 'atomic.svg');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readdirSync(dir).filter((f) => f.includes('atomic'))).toEqual(['atomic.svg']);
    expect(() => writeFileAtomic(join(dir, 'missing-folder', 'x.svg'), 'x')).toThrow();
  });
});
