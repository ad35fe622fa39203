import { describe, expect, it } from 'vitest';
import { countParams } from '../../src/core/model/param-count';
import { presetConfig } from '../../src/core/model/presets';

describe('parameter counts match the paper exactly', () => {
  const cases: [string, number][] = [
    ['paper-fixed-gap', 10_574],
    ['paper-3d', 10_576],
    ['paper-relaxed', 13_416],
    ['baseline-14', 11_140],
    ['baseline-17', 13_525],
    ['baseline-2048', 1_628_170],
  ];
  for (const [name, expected] of cases) {
    it(`${name} has ${expected} parameters`, () => {
      expect(countParams(presetConfig(name).model)).toBe(expected);
    });
  }

  it('higher embedding dimensions add (d-1) coordinates per neuron', () => {
    // 2842 neurons; d-1 learned coordinates each, 2058 biases, 2832 masks, 2 gaps
    for (const d of [5, 8, 16, 32]) {
      expect(countParams(presetConfig(`paper-${d}d`).model)).toBe((d - 1) * 2842 + 2058 + 2832 + 2);
    }
  });
});
