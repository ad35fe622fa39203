/** The renderer's number and name formatting (src/renderer/src/lib/format.ts). */
import { describe, expect, it } from 'vitest';
import {
  formatDataset,
  formatDuration,
  formatInt,
  formatLayers,
  formatPercent,
  formatRate,
  formatValue,
} from '../../src/renderer/src/lib/format';
import { formatDuration as sharedDuration } from '../../src/shared/format';

describe('renderer format', () => {
  it('groups integers like Intl en-US does, by hand for safe integers', () => {
    for (const n of [0, 7, 999, 1000, 10_576, 1_234_567, -1234, 12.6]) {
      expect(formatInt(n)).toBe(new Intl.NumberFormat('en-US').format(Math.round(n)));
    }
    expect(formatInt(-0)).toBe('-0');
    expect(formatInt(null)).toBe('—');
    expect(formatInt(NaN)).toBe('—');
  });

  it('formats percentages, values and rates with a dash for the unknown', () => {
    expect(formatPercent(0.9812)).toBe('98.12%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(123456)).toBe('1.235e+5');
    expect(formatValue(0.0001234)).toBe('1.234e-4');
    expect(formatValue(Infinity)).toBe('Infinity');
    expect(formatValue(null)).toBe('—');
    expect(formatRate(1234.5)).toBe('1,235/s');
    expect(formatRate(null)).toBe('—');
  });

  it('names layers and data sets', () => {
    expect(formatLayers([784, 128, 10])).toBe('784-128-10');
    expect(formatDataset('mnist')).toBe('MNIST');
    expect(formatDataset('fashion-mnist')).toBe('Fashion-MNIST');
    expect(formatDataset('/data/my-set/')).toBe('…/my-set');
    expect(formatDataset('C:\\data\\idx')).toBe('…/idx');
  });

  it('uses the shared duration formatter', () => {
    expect(formatDuration).toBe(sharedDuration);
  });
});
