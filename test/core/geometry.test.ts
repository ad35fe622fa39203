import { describe, expect, it } from 'vitest';
import { decodeArrays, encodeArrays, type NamedArray } from '../../src/shared/codec';
import {
  connectionWeights,
  layerGeometry,
  refreshEdges,
  strongestConnections,
  synapse,
} from '../../src/shared/geometry';
import type { SpatialModelSpec, ZMode } from '../../src/shared/model-spec';
import { connectionTable, pruneCut } from '../../src/renderer/src/lib/prune-geometry';

function spec(layers: number[], zMode: ZMode, dim = 3, eps = 0): SpatialModelSpec {
  return {
    kind: 'spatial',
    layers,
    dim,
    zMode,
    inhibitionSteepness: 5,
    distanceEpsilon: eps,
    initSpread: 10,
    initInhibition: 0.5,
    hiddenActivation: 'relu',
  };
}

const arr = (name: string, shape: number[], values: number[]): NamedArray => ({
  name,
  shape,
  data: Float32Array.from(values),
});

/** 2 -> 1 neurons, hand-sized so every distance is a Pythagorean triple. */
function tiny(zMode: ZMode): NamedArray[] {
  return [
    arr('pos.0', [2, 2], [0, 0, 3, 0]),
    arr('pos.1', [1, 2], [0, 4]),
    arr('inhib.0', [2], [0, 100]), // mask 0 and ~1
    ...(zMode === 'learned-gap' ? [arr('gap.0', [1], [3])] : []),
    ...(zMode === 'relaxed' ? [arr('z.0', [2], [0, 0.5]), arr('z.1', [1], [1.5])] : []),
  ];
}

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSnapshot(s: SpatialModelSpec, seed: number): NamedArray[] {
  const r = rng(seed);
  const out: NamedArray[] = [];
  const u = (name: string, shape: number[], lo: number, hi: number): void => {
    const n = shape.reduce((p, q) => p * q, 1);
    out.push(
      arr(
        name,
        shape,
        Array.from({ length: n }, () => lo + (hi - lo) * r()),
      ),
    );
  };
  s.layers.forEach((n, l) => {
    u(`pos.${l}`, [n, s.dim - 1], -5, 5);
    if (s.zMode === 'relaxed') u(`z.${l}`, [n], l, l + 1);
    if (l + 1 < s.layers.length) {
      u(`inhib.${l}`, [n], -0.5, 0.5);
      if (s.zMode === 'learned-gap') u(`gap.${l}`, [1], 0.5, 2);
    }
  });
  return out;
}

describe('layerGeometry', () => {
  it('reads positions, masks and layer z in the fixed-gap mode', () => {
    const g = layerGeometry(spec([2, 1], 'fixed-gap'), tiny('fixed-gap'));
    expect(Array.from(g.layers[0].x)).toEqual([0, 3]);
    expect(Array.from(g.layers[0].y)).toEqual([0, 0]);
    expect(Array.from(g.layers[0].z)).toEqual([0, 0]);
    expect(Array.from(g.layers[1].z)).toEqual([1]);
    expect(g.layers[0].mask?.[0]).toBe(0); // 2*sigmoid(0) - 1
    expect(g.layers[0].mask?.[1]).toBeCloseTo(1, 6);
    expect(g.layers[1].mask).toBeUndefined();
  });

  it('mask = 2*sigmoid(k*v) - 1', () => {
    const g = layerGeometry(spec([1, 1], 'fixed-gap'), [
      arr('pos.0', [1, 2], [0, 0]),
      arr('pos.1', [1, 2], [0, 0]),
      arr('inhib.0', [1], [-0.2]),
    ]);
    expect(g.layers[0].mask?.[0]).toBeCloseTo(2 / (1 + Math.exp(5 * 0.2)) - 1, 6);
  });

  it('stacks learned gaps cumulatively and takes relaxed z per neuron', () => {
    expect(Array.from(layerGeometry(spec([2, 1], 'learned-gap'), tiny('learned-gap')).layers[1].z)).toEqual([3]);
    const r = layerGeometry(spec([2, 1], 'relaxed'), tiny('relaxed'));
    expect(Array.from(r.layers[0].z)).toEqual([0, 0.5]);
    expect(Array.from(r.layers[1].z)).toEqual([1.5]);
  });

  it('accepts a decoded snapshot and updates a previous result in place', () => {
    const s = spec([2, 1], 'fixed-gap');
    const decoded = decodeArrays(encodeArrays(tiny('fixed-gap')));
    const first = layerGeometry(s, decoded);
    const moved = tiny('fixed-gap');
    moved[0].data[2] = 7;
    const second = layerGeometry(s, moved, first);
    expect(second.layers[0].x).toBe(first.layers[0].x);
    expect(first.layers[0].x[1]).toBe(7);
  });

  it('keeps all d-1 coordinates for d > 3 and shows the first two', () => {
    const g = layerGeometry(spec([1, 1], 'fixed-gap', 5), [
      arr('pos.0', [1, 4], [1, 2, 3, 4]),
      arr('pos.1', [1, 4], [1, 2, 3, 4]),
      arr('inhib.0', [1], [100]),
    ]);
    expect([g.layers[0].x[0], g.layers[0].y[0], g.layers[0].c]).toEqual([1, 2, 4]);
  });

  it('names a missing or mis-sized array', () => {
    expect(() => layerGeometry(spec([2, 1], 'fixed-gap'), tiny('fixed-gap').slice(1))).toThrow(/pos\.0/);
    expect(() => layerGeometry(spec([3, 1], 'fixed-gap'), tiny('fixed-gap'))).toThrow(/pos\.0.*expected 6/);
  });
});

describe('weights w_ij = mask_i / sqrt(|dp|^2 + dz^2 + eps^2)', () => {
  it('matches hand-computed values (fixed gap: dz = 1)', () => {
    const g = layerGeometry(spec([2, 1], 'fixed-gap'), tiny('fixed-gap'));
    const w = connectionWeights(g, 0);
    // neuron 0: mask 0 -> weight 0; neuron 1: |(3,0)-(0,4)| = 5, dz = 1 -> d = sqrt(26)
    expect(w[0]).toBe(0);
    expect(w[1]).toBeCloseTo(1 / Math.sqrt(26), 5);
    const s = synapse(g, 0, 1, 0);
    expect(s.distance).toBeCloseTo(Math.sqrt(26), 5);
    expect(s.weight).toBeCloseTo(1 / Math.sqrt(26), 5);
  });

  it('uses the learned gap, relaxed z and eps', () => {
    // learned gap 3: d = sqrt(25 + 9)
    expect(synapse(layerGeometry(spec([2, 1], 'learned-gap'), tiny('learned-gap')), 0, 1, 0).distance).toBeCloseTo(
      Math.sqrt(34),
      5,
    );
    // relaxed: dz = 1.5 - 0.5 = 1, eps 0.05
    const r = layerGeometry(spec([2, 1], 'relaxed', 3, 0.05), tiny('relaxed'));
    expect(synapse(r, 0, 1, 0).distance).toBeCloseTo(Math.sqrt(25 + 1 + 0.0025), 5);
  });

  it('uses every learned coordinate for d > 3', () => {
    const g = layerGeometry(spec([1, 1], 'fixed-gap', 5), [
      arr('pos.0', [1, 4], [0, 0, 0, 0]),
      arr('pos.1', [1, 4], [1, 1, 1, 1]),
      arr('inhib.0', [1], [-100]),
    ]);
    // d = sqrt(4 * 1 + 1) with mask -1
    expect(connectionWeights(g, 0)[0]).toBeCloseTo(-1 / Math.sqrt(5), 5);
  });

  it('throws for the output layer', () => {
    const g = layerGeometry(spec([2, 1], 'fixed-gap'), tiny('fixed-gap'));
    expect(() => connectionWeights(g, 1)).toThrow(/no connections/);
  });
});

describe('strongestConnections', () => {
  const s = spec([13, 29, 7], 'learned-gap');
  const g = layerGeometry(s, randomSnapshot(s, 42));
  const all = [...connectionWeights(g, 0), ...connectionWeights(g, 1)].map(Math.abs).sort((a, b) => b - a);

  it('returns exactly k edges, and they are the k largest |w| (against a full sort)', () => {
    for (const k of [1, 5, 50, 200, 377, all.length]) {
      const e = strongestConnections(g, { k });
      expect(e.count).toBe(k);
      expect(e.total).toBe(all.length);
      const got = Array.from(e.w, Math.abs).sort((a, b) => b - a);
      expect(got).toEqual(all.slice(0, k).map((v) => Math.fround(v)));
    }
  });

  it('reports edges consistent with synapse()', () => {
    const e = strongestConnections(g, { k: 30 });
    for (let q = 0; q < e.count; q++) {
      const syn = synapse(g, e.layer[q], e.i[q], e.j[q]);
      expect(e.w[q]).toBeCloseTo(syn.weight, 6);
      expect(e.d[q]).toBeCloseTo(syn.distance, 5);
    }
    expect(e.maxAbsWeight).toBeCloseTo(all[0], 6);
  });

  it('returns every edge with |w| >= threshold, or the k strongest of them', () => {
    const t = all[100];
    const e = strongestConnections(g, { threshold: t });
    expect(e.count).toBe(all.filter((v) => Math.fround(v) >= Math.fround(t)).length);
    expect(Math.min(...Array.from(e.w, Math.abs))).toBeGreaterThanOrEqual(Math.fround(t));
    expect(strongestConnections(g, { threshold: t, k: 10 }).count).toBe(10);
    expect(strongestConnections(g, { threshold: 1e9 }).count).toBe(0);
    expect(strongestConnections(g, { k: 0 }).count).toBe(0);
  });

  it('agrees with brute force for random thresholds and k, in every z mode and d', () => {
    for (const [zMode, dim, eps] of [
      ['fixed-gap', 3, 0],
      ['relaxed', 3, 0.05],
      ['learned-gap', 5, 0],
    ] as const) {
      const sp = spec([11, 17, 5], zMode, dim, eps);
      const geo = layerGeometry(sp, randomSnapshot(sp, dim * 13));
      const ref = [...connectionWeights(geo, 0), ...connectionWeights(geo, 1)].map(Math.abs).sort((a, b) => b - a);
      const r = rng(3);
      for (let trial = 0; trial < 20; trial++) {
        const t = ref[Math.floor(r() * ref.length)] * (r() < 0.5 ? 1 : 1 + 1e-7);
        const k = r() < 0.5 ? undefined : Math.floor(r() * ref.length);
        const expected = ref.filter((v) => v >= t).slice(0, k ?? Infinity);
        const e = strongestConnections(geo, { threshold: t, k });
        expect(Array.from(e.w, Math.abs).sort((a, b) => b - a)).toEqual(expected);
      }
    }
  });

  it('refreshEdges recomputes d and w after the neurons moved', () => {
    const sp = spec([5, 4, 3], 'fixed-gap');
    const snap = randomSnapshot(sp, 9);
    const geo = layerGeometry(sp, snap);
    const e = strongestConnections(geo, { k: 8 });
    for (const a of snap) if (a.name.startsWith('pos.')) a.data.forEach((v, q) => (a.data[q] = v * 1.5));
    const moved = layerGeometry(sp, snap, geo);
    refreshEdges(moved, e);
    for (let q = 0; q < e.count; q++)
      expect(e.d[q]).toBeCloseTo(synapse(moved, e.layer[q], e.i[q], e.j[q]).distance, 5);
  });

  it('handles ties (all weights equal) and reuses a workspace', () => {
    const flat = spec([20, 20], 'fixed-gap');
    const snap = [
      arr('pos.0', [20, 2], new Array(40).fill(0)),
      arr('pos.1', [20, 2], new Array(40).fill(0)),
      arr('inhib.0', [20], new Array(20).fill(1)),
    ];
    const workspace = {};
    const e = strongestConnections(layerGeometry(flat, snap), { k: 123, workspace });
    expect(e.count).toBe(123);
    expect(new Set(Array.from({ length: e.count }, (_, q) => e.i[q] * 20 + e.j[q])).size).toBe(123);
  });

  describe('maxDistance (the connections distance pruning keeps)', () => {
    /** every connection with float32 d <= its layer's cut-off, by brute force over synapse() */
    function kept(geo: ReturnType<typeof layerGeometry>, cut: number | number[]): { key: string; w: number }[] {
      const out: { key: string; w: number }[] = [];
      for (let l = 0; l + 1 < geo.layers.length; l++) {
        const c = typeof cut === 'number' ? cut : (cut[l] ?? Infinity);
        for (let i = 0; i < geo.layers[l].n; i++) {
          for (let j = 0; j < geo.layers[l + 1].n; j++) {
            const syn = synapse(geo, l, i, j);
            if (Math.fround(syn.distance) <= c)
              out.push({ key: `${l}:${i}:${j}`, w: Math.fround(Math.abs(syn.weight)) });
          }
        }
      }
      return out;
    }
    const keys = (e: ReturnType<typeof strongestConnections>): string[] =>
      Array.from({ length: e.count }, (_, q) => `${e.layer[q]}:${e.i[q]}:${e.j[q]}`).sort();
    const absW = (e: ReturnType<typeof strongestConnections>): number[] =>
      Array.from(e.w, Math.abs).sort((a, b) => b - a);

    it('keeps exactly the connections with d <= maxDistance, one value or per layer (against brute force)', () => {
      for (const [zMode, dim, eps] of [
        ['fixed-gap', 3, 0],
        ['relaxed', 3, 0.05],
        ['learned-gap', 5, 0],
      ] as const) {
        const sp = spec([11, 17, 5], zMode, dim, eps);
        const geo = layerGeometry(sp, randomSnapshot(sp, dim * 7 + 1));
        const dists = [0, 1].flatMap((l) =>
          Array.from({ length: geo.layers[l].n * geo.layers[l + 1].n }, (_, e) =>
            Math.fround(synapse(geo, l, Math.floor(e / geo.layers[l + 1].n), e % geo.layers[l + 1].n).distance),
          ),
        );
        dists.sort((a, b) => a - b);
        const r = rng(11);
        for (let trial = 0; trial < 20; trial++) {
          // cut-offs exactly at a connection's distance (ties at the boundary), between them, and per layer
          const pick = (): number => dists[Math.floor(r() * dists.length)] * (r() < 0.5 ? 1 : 1 + 1e-3 * (r() - 0.5));
          const cut: number | number[] = trial % 3 === 2 ? [pick(), r() < 0.3 ? Infinity : pick()] : pick();
          const expected = kept(geo, cut);
          const e = strongestConnections(geo, { maxDistance: cut });
          expect(keys(e)).toEqual(expected.map((x) => x.key).sort());
          for (let q = 0; q < e.count; q++)
            expect(Math.fround(e.d[q])).toBeLessThanOrEqual(typeof cut === 'number' ? cut : cut[e.layer[q]]);
          // then the strongest k of them by |w| = |mask| / d, and a threshold on top
          const k = Math.floor(r() * (expected.length + 5));
          const byW = expected.map((x) => x.w).sort((a, b) => b - a);
          expect(absW(strongestConnections(geo, { maxDistance: cut, k }))).toEqual(byW.slice(0, k));
          const t = byW.length ? byW[Math.floor(r() * byW.length)] : 1;
          expect(absW(strongestConnections(geo, { maxDistance: cut, threshold: t }))).toEqual(
            byW.filter((v) => v >= t),
          );
          expect(absW(strongestConnections(geo, { maxDistance: cut, threshold: t, k: 3 }))).toEqual(
            byW.filter((v) => v >= t).slice(0, 3),
          );
        }
      }
    });

    it('Infinity keeps all, -Infinity none; maxAbsWeight stays over all connections', () => {
      const sp = spec([9, 12, 4], 'learned-gap');
      const geo = layerGeometry(sp, randomSnapshot(sp, 5));
      const all = strongestConnections(geo);
      expect(strongestConnections(geo, { maxDistance: Infinity }).count).toBe(all.count);
      expect(strongestConnections(geo, { maxDistance: [Infinity] }).count).toBe(all.count); // missing entries: no limit
      expect(strongestConnections(geo, { maxDistance: -Infinity }).count).toBe(0);
      expect(strongestConnections(geo, { maxDistance: [-Infinity, Infinity] }).count).toBe(12 * 4);
      expect(strongestConnections(geo, { maxDistance: 0 }).maxAbsWeight).toBe(all.maxAbsWeight);
    });

    it("draws exactly the pruning views' kept set: pruneCut's cut-offs and counts (rates, per layer, distances)", () => {
      const sp = spec([30, 40, 10], 'learned-gap');
      const geo = layerGeometry(sp, randomSnapshot(sp, 17));
      const table = connectionTable(geo);
      const cuts = [
        ...[0.1, 0.5, 0.9, 0.99].flatMap((rate) => [
          pruneCut(table, { rate, scope: 'global' }),
          pruneCut(table, { rate, scope: 'per-layer' }),
        ]),
        pruneCut(table, { maxDistance: (table.minDistance + table.maxDistance) / 2 }),
        pruneCut(table, { maxDistance: table.dist[123] }),
      ];
      for (const c of cuts) {
        expect(c.pruned).toBe(true);
        const e = strongestConnections(geo, { maxDistance: c.cutoffs });
        expect(e.count).toBe(c.counts.kept);
        const perLayer = c.counts.perLayer.map(() => 0);
        for (let q = 0; q < e.count; q++) perLayer[e.layer[q]]++;
        expect(perLayer).toEqual(c.counts.perLayer.map((p) => p.kept));
      }
    });
  });

  // its speed is a benchmark figure (bench/embedding), never a test assertion
  it("selects exactly 50,000 of the paper network's 1.6 M connections, reusing its workspace", () => {
    const paper = spec([784, 2048, 10], 'learned-gap');
    const geom = layerGeometry(paper, randomSnapshot(paper, 7));
    const workspace = {};
    for (let run = 0; run < 2; run++) {
      const e = strongestConnections(geom, { k: 50_000, workspace });
      expect(e.count).toBe(50_000);
      expect(e.total).toBe(784 * 2048 + 2048 * 10);
    }
  });
});
