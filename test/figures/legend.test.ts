/** Issue 14 §10: colour-bar tick labels never run together ("−0.380.38"), even in a single-column panel. */
import { describe, expect, it } from 'vitest';
import { colorBar } from '../../src/core/figures/legend';
import { figureStyle } from '../../src/core/figures/presets';
import type { TextMark } from '../../src/core/figures/model';
import { textWidth } from '../../src/core/figures/text-metrics';

/** [left, right] of each tick label (the bar's name excluded) */
function labelSpans(width: number, limit: number): [number, number][] {
  const style = figureStyle({}, 'single');
  const bar = colorBar({ x: 0, y: 0, width, limit, label: 'masked activation', style });
  const texts = bar.marks.filter((m): m is TextMark => m.type === 'text' && m.text !== 'masked activation');
  return texts.map((t) => {
    const w = textWidth(t.text, t.size);
    const left = t.anchor === 'end' ? t.x - w : t.anchor === 'middle' ? t.x - w / 2 : t.x;
    return [left, left + w];
  });
}

describe('colour bar', () => {
  for (const width of [37, 50, 120])
    it(`keeps its tick labels apart on a ${width} pt bar`, () => {
      const spans = labelSpans(width, 0.38).sort((a, b) => a[0] - b[0]);
      expect(spans.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThan(spans[i - 1][1]);
    });
  it('shows −limit, 0 and limit when there is room', () => {
    expect(labelSpans(120, 0.38)).toHaveLength(3);
  });
});
