import { describe, expect, it } from 'vitest';
import type { TopographyEpoch, WiringEpoch } from '../../src/shared/analysis';

// the renderer's files are not part of the node TS project (see run-form.test.ts): loaded at run time, typed here
interface Metric {
  id: string;
}
interface Curves {
  series: { id: string; dashed?: boolean }[];
  data: Record<string, [number, number][]>;
}
interface Run {
  id: string;
  name: string;
  wiring?: WiringEpoch[];
  topography?: TopographyEpoch[];
}
const PLOTS = '../../src/renderer/src/plots';
const { availableMetrics, WIRING_METRICS, wiringCurves } = (await import(
  /* @vite-ignore */ `${PLOTS}/wiring-curves`
)) as {
  availableMetrics: (runs: Run[]) => Metric[];
  WIRING_METRICS: Metric[];
  wiringCurves: (runs: Run[], m: Metric) => Curves;
};

const wiring = (epoch: number, weighted: number): WiringEpoch => ({
  epoch,
  totalLength: 10 * epoch,
  weightedLength: weighted,
  shortShare: 0.2,
  layers: [
    {
      layer: 0,
      connections: 4,
      totalLength: 10,
      weightedLength: weighted,
      meanLength: 2.5,
      p90Length: 3,
      gap: 1,
      shortShare: 0.2,
    },
  ],
});
const topo = (epoch: number, i: number): TopographyEpoch => ({
  epoch,
  probe: 100,
  layers: [
    {
      layer: 1,
      k: 8,
      moranI: i,
      baselineMean: -0.01,
      baselineStd: 0.02,
      z: (i + 0.01) / 0.02,
      p: 0.02,
      permutations: 49,
      preferred: [],
    },
  ],
});

describe('wiring curves', () => {
  const a = { id: 'a', name: 'A', wiring: [wiring(1, 5), wiring(2, 4)], topography: [topo(1, 0.3), topo(2, 0.5)] };
  const b = { id: 'b', name: 'B', wiring: [wiring(1, 7)] };

  it('one series per run with the chosen metric per epoch', () => {
    const m = WIRING_METRICS.find((x) => x.id === 'weighted')!;
    const c = wiringCurves([a, b], m);
    expect(c.series.map((s) => s.id)).toEqual(['a', 'b']);
    expect(c.data.a).toEqual([
      [1, 5],
      [2, 4],
    ]);
    expect(c.data.b).toEqual([[1, 7]]);
  });

  it("Moran's I adds a dashed permutation baseline per run with topography", () => {
    const c = wiringCurves(
      [a],
      WIRING_METRICS.find((x) => x.id === 'moran')!,
    );
    expect(c.data.a).toEqual([
      [1, 0.3],
      [2, 0.5],
    ]);
    expect(c.series[1]).toMatchObject({ id: 'a:baseline', dashed: true });
    expect(c.data['a:baseline']).toEqual([
      [1, -0.01],
      [2, -0.01],
    ]);
  });

  it('offers only metrics some run has (no learned kernel, no dense)', () => {
    const ids = availableMetrics([b]).map((m) => m.id);
    expect(ids).toContain('weighted');
    expect(ids).not.toContain('kernel0');
    expect(ids).not.toContain('moran');
    expect(availableMetrics([{ id: 'd', name: 'dense' }])).toEqual([]);
  });
});
