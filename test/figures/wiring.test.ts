import { describe, expect, it } from 'vitest';
import type { TopographyEpoch, WiringEpoch } from '../../src/shared/analysis';
import { wiringFigure } from '../../src/core/figures/kinds/wiring';
import type { Mark } from '../../src/core/figures/model';

const wiring = (epoch: number): WiringEpoch => ({
  epoch,
  totalLength: 100 + epoch,
  weightedLength: 50 - epoch,
  shortShare: 0.2 + epoch / 100,
  layers: [
    {
      layer: 0,
      connections: 10,
      totalLength: 100,
      weightedLength: 50,
      meanLength: 10,
      p90Length: 12,
      gap: 1,
      shortShare: 0.2,
    },
  ],
});
const topo = (epoch: number): TopographyEpoch => ({
  epoch,
  probe: 10,
  layers: [
    { layer: 1, k: 8, moranI: 0.5, baselineMean: 0, baselineStd: 0.1, z: 5, p: 0.02, permutations: 49, preferred: [] },
  ],
});

function names(marks: readonly Mark[]): string[] {
  return marks.flatMap((m) =>
    'children' in m && m.children ? [('name' in m && m.name) || '', ...names(m.children)] : [],
  );
}

describe('figure kind wiring', () => {
  it('draws four panels and a legend, and writes every plotted value to the CSV', () => {
    const out = wiringFigure({
      runs: [
        { name: 'a', wiring: [0, 1, 2].map(wiring), topography: [0, 1, 2].map(topo) },
        { name: 'b', wiring: [1, 2].map(wiring), topography: [] },
      ],
    });
    expect(names(out.figure.children)).toEqual(
      expect.arrayContaining(['panel-0', 'panel-1', 'panel-2', 'panel-3', 'legend']),
    );
    const rows = out.csv!.trim().split('\n');
    expect(rows[0]).toBe('run,metric,epoch,value');
    // a: 3 epochs x 4 metrics; b: 2 epochs x 3 metrics (no topography)
    expect(rows).toHaveLength(1 + 12 + 6);
    expect(rows).toContain('a,Weighted length Σ|w|d,2,48');
  });

  it('refuses runs without wiring measurements', () => {
    expect(() => wiringFigure({ runs: [{ name: 'dense', wiring: [], topography: [] }] })).toThrow(
      /no run has wiring measurements/,
    );
  });
});
