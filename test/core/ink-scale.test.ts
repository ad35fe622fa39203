/**
 * The strength-to-ink mapping of drawn connections (issue 14 §1): after training a few very short
 * links set max |w|, and a linear |w| / max |w| scale made every other line invisible. The shared
 * ink scale keeps every drawn line at or above its floor, in the app and in the exported figure.
 */
import { describe, expect, it } from 'vitest';
import { stackedFigure } from '../../src/core/figures/kinds/stacked';
import { toSvg } from '../../src/core/figures/writers/svg';
import type { EmbeddingGeometry, LayerGeometry } from '../../src/shared/geometry';
import { INK_FLOOR, inkLegend, inkLevel, inkScale } from '../../src/shared/ink-scale';
import { Rng } from '../../src/core/util/rng';
import { allNodes, byClass, parseXml } from '../figures/helpers';

/** |w| of a trained-looking network: most links ~0.1-1, a handful of near-coincident neurons at ~1e3. */
function trainedWeights(n = 50_000): Float32Array {
  const rng = Rng.fromSeed(7);
  const w = new Float32Array(n);
  for (let q = 0; q < n; q++) w[q] = (rng.next() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.next());
  for (let q = 0; q < 20; q++) w[q * 97] = 1000 + q;
  return w;
}

describe('inkScale', () => {
  it('keeps every drawn line at or above the floor, and most far above what a linear max scale gives', () => {
    const w = trainedWeights();
    const s = inkScale(w);
    const max = Math.max(...Array.from(w, Math.abs));
    let belowLinear = 0;
    let visible = 0;
    for (const v of w) {
      const level = inkLevel(s, v);
      expect(level).toBeGreaterThanOrEqual(INK_FLOOR);
      expect(level).toBeLessThanOrEqual(1);
      if (Math.abs(v) / max < 0.01) belowLinear++; // would round to invisible in 8-bit alpha at 35 % opacity
      if (level > 0.5) visible++;
    }
    expect(belowLinear / w.length).toBeGreaterThan(0.99);
    expect(visible / w.length).toBeGreaterThan(0.3);
    expect(s.lo).toBeGreaterThan(0.1);
    expect(s.hi).toBeLessThan(1.01);
    expect(inkLevel(s, 1000)).toBe(1);
    expect(inkLegend(s)).toMatch(/log scale.*5th percentile.*99th/);
  });

  it('is monotone in |w| and handles empty and constant sets', () => {
    const s = inkScale(trainedWeights(5000));
    expect(inkLevel(s, 0.2)).toBeLessThan(inkLevel(s, 0.5));
    expect(inkLevel(s, -0.5)).toBe(inkLevel(s, 0.5));
    expect(inkScale([]).hi).toBe(0);
    const flat = inkScale([0.3, 0.3, 0.3]);
    expect(inkLevel(flat, 0.3)).toBe(1);
  });
});

/** A 3-layer geometry whose gaps collapsed: a few neurons nearly on top of each other across layers. */
function collapsedGeometry(): EmbeddingGeometry {
  const rng = Rng.fromSeed(3);
  const layer = (n: number, z: number, mask: boolean): LayerGeometry => {
    const x = Float32Array.from({ length: n }, () => rng.next() * 4 - 2);
    const y = Float32Array.from({ length: n }, () => rng.next() * 4 - 2);
    const coords = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) [coords[2 * i], coords[2 * i + 1]] = [x[i], y[i]];
    const g: LayerGeometry = { n, c: 2, coords, x, y, z: new Float32Array(n).fill(z) };
    if (mask) g.mask = Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? -0.9 : 0.9));
    return g;
  };
  const layers = [layer(200, 0, true), layer(40, 0.002, true), layer(10, 0.004, false)];
  // neuron 0 of each layer sits on the same spot: |w| ~ 1 / 0.002 = 500 for those links
  for (const g of layers) [g.x[0], g.y[0], g.coords[0], g.coords[1]] = [0, 0, 0, 0];
  return { layers, eps: 0, dim: 3 };
}

describe('stacked figure after training', () => {
  it('draws every one of the strongest k lines with visible opacity and names the mapping', () => {
    const geometry = collapsedGeometry();
    const out = stackedFigure({ runName: 'collapsed', before: null, after: { epoch: 9, geometry } }, { edges: 1000 });
    const root = parseXml(toSvg(out.figure));
    const lines = allNodes(byClass(root, 'edges')[0]).filter((n) => n.name === 'line');
    expect(lines).toHaveLength(1000);
    const opacities = lines.map((l) => Number(l.attrs.opacity ?? l.attrs['stroke-opacity'] ?? 1));
    expect(Math.min(...opacities)).toBeGreaterThanOrEqual(0.06);
    const median = opacities.sort((a, b) => a - b)[500];
    expect(median).toBeGreaterThan(0.1); // a linear |w| / max|w| scale put it at its 0.03 floor
    expect(
      allNodes(root)
        .filter((n) => n.name === 'text')
        .map((n) => n.text ?? '')
        .join(' '),
    ).toMatch(/log scale/);
  });
});
