/** The one CSV writer (src/core/figures/csv.ts) and the CSVs built on it: run export and study CSV. */
import { describe, expect, it } from 'vitest';
import { epochsCsv } from '../../src/core/cli/commands/runs-export';
import { toCsv } from '../../src/core/figures/csv';
import { studyCsv } from '../../src/core/study/aggregate';
import type { StudyDetail } from '../../src/shared/lab-api';
import type { RunDetail } from '../../src/shared/run-config';

describe('CSV', () => {
  it('quotes cells holding a comma, quote, newline or carriage return', () => {
    expect(toCsv(['a'], [['x,y'], ['say "hi"'], ['two\nlines'], ['cr\rhere'], ['plain']])).toBe(
      'a\n"x,y"\n"say ""hi"""\n"two\nlines"\n"cr\rhere"\nplain\n',
    );
  });

  it('leaves NaN, infinities, null and undefined empty; rounds to 7 digits unless told not to', () => {
    expect(toCsv(['v'], [[NaN], [Infinity], [null], [undefined], [1 / 3]])).toBe('v\n\n\n\n\n0.3333333\n');
    expect(toCsv(['v'], [[1 / 3]], { significantDigits: null })).toBe(`v\n${String(1 / 3)}\n`);
  });

  it('run export: an epoch whose loss is NaN gets an empty cell, not "NaN"', () => {
    const epoch = {
      epoch: 1,
      trainLoss: NaN,
      trainAccuracy: 0.5,
      testLoss: 0.25,
      testAccuracy: 0.75,
      durationMs: 1234,
      samplesPerSec: 99.5,
    };
    const text = epochsCsv({ epochs: [epoch] } as unknown as RunDetail);
    expect(text.split('\n')[1]).toBe('1,,0.5,0.25,0.75,1234,99.5');
    expect(text).not.toContain('NaN');
  });

  it('study CSV quotes a model label holding a carriage return', () => {
    const study = {
      baselines: [{ model: 'a\rb', testAccuracy: 0.9, runIds: ['r1'] }],
      results: [],
    } as unknown as StudyDetail;
    expect(studyCsv(study)).toBe('model,mode,rate,mean,std,n,sparsity\n"a\rb",baseline,0,0.9,,1,0\n');
  });
});
