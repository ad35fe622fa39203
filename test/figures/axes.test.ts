/** The small pure helpers: ticks, scales, text metrics, palettes, CSV, presets. */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { formatTick, layoutPlot, linearScale, niceStep, niceTicks } from '../../src/core/figures/axes';
import { toCsv } from '../../src/core/figures/csv';
import { fontFile } from '../../src/core/figures/fonts';
import { colorLimit } from '../../src/core/figures/kinds/embedding';
import { legendRow } from '../../src/core/figures/legend';
import { walkMarks } from '../../src/core/figures/model';
import { BLUE_GREY_RED, divergingColor, sampleStops, TOL_BRIGHT } from '../../src/core/figures/palettes';
import { figureStyle, widthMm } from '../../src/core/figures/presets';
import { fitText, textWidth, wrapText } from '../../src/core/figures/text-metrics';

describe('ticks', () => {
  it('niceStep picks 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 4)).toBe(0.25);
    expect(niceStep(0.07, 5)).toBeCloseTo(0.02, 12);
    expect(niceStep(300, 5)).toBe(100);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('niceTicks extends to whole steps and has no float noise', () => {
    const t = niceTicks(0.13, 0.97, 5);
    expect(t).toMatchObject({ lo: 0, hi: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    const u = niceTicks(-0.7, 2.3, 6);
    expect(u.values).toEqual([-1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('niceTicks without extension keeps the domain and only ticks inside it', () => {
    const t = niceTicks(-1.3, 2.1, 4, false);
    expect([t.lo, t.hi]).toEqual([-1.3, 2.1]);
    expect(t.values).toEqual([-1, 0, 1, 2]);
  });

  it('niceTicks survives degenerate and reversed ranges', () => {
    expect(niceTicks(3, 3).values.length).toBeGreaterThan(1);
    expect(niceTicks(5, 1).lo).toBeLessThanOrEqual(1);
    expect(niceTicks(NaN, 1).values.length).toBeGreaterThan(1);
  });

  it('formatTick uses the step to choose decimals and a real minus sign', () => {
    expect(formatTick(0.5, 0.5)).toBe('0.5');
    expect(formatTick(1, 0.25)).toBe('1.00');
    expect(formatTick(-2, 1)).toBe('−2');
    expect(formatTick(1e-17, 0.1)).toBe('0');
    expect(formatTick(20, 5)).toBe('20');
  });

  it('linearScale maps the domain onto the range (and flips for y)', () => {
    const s = linearScale(0, 10, 100, 0);
    expect(s(0)).toBe(100);
    expect(s(5)).toBe(50);
  });

  it('layoutPlot keeps tick labels inside the box', () => {
    const style = figureStyle({}, 'single');
    const box = { x: 5, y: 5, width: 200, height: 120 };
    const plot = layoutPlot({ box, x: niceTicks(0, 100), y: niceTicks(0, 1), xLabel: 'x', yLabel: 'y', style });
    for (const m of walkMarks(plot.axes)) {
      if (m.type !== 'text' || m.rotate) continue;
      const w = textWidth(m.text, m.size);
      const left = m.anchor === 'end' ? m.x - w : m.anchor === 'middle' ? m.x - w / 2 : m.x;
      expect(left).toBeGreaterThanOrEqual(box.x - 0.01);
      expect(left + w).toBeLessThanOrEqual(box.x + box.width + 0.01);
      expect(m.y).toBeLessThanOrEqual(box.y + box.height);
    }
  });
});

describe('text metrics', () => {
  it('match DejaVu Sans as pdfkit measures it from the TTF (within kerning, < 1.5 %)', () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    for (const [bold, file] of [
      [false, fontFile('regular')],
      [true, fontFile('bold')],
    ] as const) {
      doc.font(file).fontSize(8);
      const samples = [
        'Accuracy',
        'Pruning rate (%)',
        '0123456789',
        'Hidden (2048)',
        ' !"#$&\'()*+,-./:;<=>?@[\\]^_`{|}~',
        'Δz: −0.12 × μ',
      ];
      for (const s of samples) {
        const truth = doc.widthOfString(s); // shaped with kerning, which the table leaves out
        expect(Math.abs(textWidth(s, 8, bold) - truth)).toBeLessThanOrEqual(truth * 0.015);
      }
      expect(textWidth('0123456789', 8, bold)).toBeCloseTo(doc.widthOfString('0123456789'), 6); // digits never kern
    }
  });

  it('wrapText breaks at spaces within the width; fitText takes the first that fits', () => {
    const lines = wrapText('one two three four five six seven', 8, 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textWidth(l, 8)).toBeLessThanOrEqual(60);
    expect(lines.join(' ')).toBe('one two three four five six seven');
    expect(fitText(['a very long title indeed', 'short'], 8, 40)).toBe('short');
  });
});

describe('palettes and presets', () => {
  it('diverging colours: ends are Tol blue/red, zero is grey, beyond the limit saturates', () => {
    expect(divergingColor(-1, 1)).toBe('#2166AC');
    expect(divergingColor(1, 1)).toBe('#B2182B');
    expect(divergingColor(0, 1)).toBe(BLUE_GREY_RED[3]);
    expect(divergingColor(5, 1)).toBe('#B2182B');
    expect(sampleStops(['#000000', '#FFFFFF'], 0.5)).toBe('#808080');
    expect(TOL_BRIGHT[0]).toBe('#4477AA');
  });

  it('colour limits round max |v| up to two significant digits', () => {
    expect(colorLimit(Float32Array.from([0.1, -0.4321]))).toBeCloseTo(0.44, 10);
    expect(colorLimit(Float32Array.from([3.6]))).toBeCloseTo(3.6, 10);
    expect(colorLimit(Float32Array.from([0, 0]))).toBe(1);
  });

  it('column presets and limits', () => {
    expect(widthMm('single')).toBe(88);
    expect(widthMm('double')).toBe(180);
    expect(widthMm(120)).toBe(120);
    expect(() => widthMm(5)).toThrow(RangeError);
    const s = figureStyle({ fontSize: 6 }, 'single');
    expect(s.smallFontSize).toBe(5);
    expect(s.lineWidth).toBeCloseTo(0.75, 10);
    expect(() => figureStyle({ fontSize: 40 }, 'single')).toThrow(RangeError);
  });

  it('legend rows wrap within their width', () => {
    const style = figureStyle({}, 'single');
    const entries = Array.from({ length: 8 }, (_, i) => ({ label: `series number ${i}`, color: '#000000' }));
    const row = legendRow(entries, 0, 0, 200, style);
    expect(row.height).toBeGreaterThan(style.smallFontSize * 1.3 * 2);
    for (const m of walkMarks(row.marks))
      if (m.type === 'text') expect(m.x + textWidth(m.text, m.size)).toBeLessThanOrEqual(200.01);
  });
});

describe('CSV', () => {
  it('quotes where needed, 7 significant digits, empty for null and NaN', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 0.123456789],
          [null, NaN],
          ['say "hi"', 2],
        ],
      ),
    ).toBe('a,b\n"x,y",0.1234568\n,\n"say ""hi""",2\n');
  });
});
