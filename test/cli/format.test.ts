/** Text formatting: the lab's one duration/date formatter (src/shared/format.ts) and the CLI's helpers. */
import { describe, expect, it } from 'vitest';
import { clip, duration, fixed, layersText, percent, table, thousands } from '../../src/core/cli/format';
import { formatDate, formatDuration } from '../../src/shared/format';

describe('shared duration and date formatter', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [12_345, '12.3s'],
    [59_949, '59.9s'],
    [59_950, '1m 00s'],
    [93_000, '1m 33s'],
    [3_599_000, '59m 59s'],
    [5_400_000, '1h 30m'],
    [47 * 3_600_000, '47h 00m'],
    [3 * 86_400_000 + 2 * 3_600_000, '3d 2h'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows unknown durations and dates as the placeholder asked for', () => {
    for (const bad of [null, undefined, NaN, -1, Infinity]) expect(formatDuration(bad)).toBe('—');
    expect(formatDuration(null, '-')).toBe('-');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('', '-')).toBe('-');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('prints dates in local time, minutes precision', () => {
    const local = new Date(2026, 10, 28, 1, 6, 59);
    expect(formatDate(local.toISOString())).toBe('2026-11-28 01:06');
  });
});

describe('CLI format helpers', () => {
  it('formats numbers, percentages and durations with "-" for unknown', () => {
    expect(thousands(12345.6)).toBe('12,346');
    expect(percent(0.91234)).toBe('91.23%');
    expect(percent(null)).toBe('-');
    expect(fixed(0.123456)).toBe('0.1235');
    expect(fixed(NaN)).toBe('-');
    expect(duration(93_000)).toBe('1m 33s');
    expect(duration(NaN)).toBe('-');
    expect(layersText([784, 128, 10])).toBe('784-128-10');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });

  it('aligns a table: text left, all-numeric columns right, no trailing spaces', () => {
    const text = table(
      ['name', 'acc'],
      [
        ['a', '91.00%'],
        ['longer', '9.50%'],
      ],
    );
    expect(text).toBe('name       acc\na       91.00%\nlonger   9.50%\n');
    expect(table(['x'], [])).toBe('x\n');
  });
});
