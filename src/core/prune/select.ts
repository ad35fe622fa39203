/**
 * Exact magnitude selection: which connections to remove so that exactly round(rate * total) go,
 * the smallest magnitudes first (ties broken by position, so the count is exact).
 */

import { kthSmallest } from '../../shared/quickselect';

export { kthSmallest };

export type PruneScope = 'global' | 'per-layer';

export interface KeepMasks {
  /** per layer, 1 = connection kept, 0 = removed; [n_l * n_{l+1}] row-major like W_l */
  keep: Float32Array[];
  pruned: number;
  total: number;
  /** per layer: removed connections */
  prunedPerLayer: number[];
  /** per layer: the largest magnitude removed (the cut-off), or -Infinity when nothing was removed */
  cutoff: number[];
}

/**
 * Removes the `rate` fraction of connections with the smallest magnitude, counted over all layers
 * together ('global') or in each layer separately ('per-layer').
 * @param magnitudes per layer, the ranking value of each connection (|w|; 1/d for spatial layers)
 */
export function pruneByRate(magnitudes: Float32Array[], rate: number, scope: PruneScope): KeepMasks {
  if (!(rate >= 0 && rate < 1)) throw new Error(`pruning rate must be in [0, 1), got ${rate}`);
  if (scope === 'per-layer') {
    const parts = magnitudes.map((m) => pruneLayers([m], Math.round(rate * m.length)));
    return {
      keep: parts.map((p) => p.keep[0]),
      pruned: parts.reduce((s, p) => s + p.pruned, 0),
      total: parts.reduce((s, p) => s + p.total, 0),
      prunedPerLayer: parts.map((p) => p.pruned),
      cutoff: parts.map((p) => p.cutoff[0]),
    };
  }
  const total = magnitudes.reduce((s, m) => s + m.length, 0);
  return pruneLayers(magnitudes, Math.round(rate * total));
}

/** Removes every connection whose magnitude is below `minMagnitude` (for spatial layers: longer than 1/minMagnitude). */
export function pruneByThreshold(magnitudes: Float32Array[], minMagnitude: number): KeepMasks {
  const keep = magnitudes.map((m) => {
    const k = new Float32Array(m.length);
    for (let i = 0; i < m.length; i++) k[i] = m[i] >= minMagnitude ? 1 : 0;
    return k;
  });
  return summarise(magnitudes, keep);
}

/** Removes exactly `count` connections across `layers`, smallest magnitude first. */
function pruneLayers(layers: Float32Array[], count: number): KeepMasks {
  const keep = layers.map((m) => new Float32Array(m.length).fill(1));
  if (count <= 0) return summarise(layers, keep);
  const all = concat(layers);
  const t = kthSmallest(all, count - 1); // the count-th smallest value
  // everything strictly below t goes; then values equal to t, in index order, until count is reached
  let below = 0;
  for (const m of layers) for (let i = 0; i < m.length; i++) if (m[i] < t) below++;
  let ties = count - below;
  for (let l = 0; l < layers.length; l++) {
    const m = layers[l];
    const k = keep[l];
    for (let i = 0; i < m.length; i++) {
      if (m[i] < t) k[i] = 0;
      else if (m[i] === t && ties > 0) {
        k[i] = 0;
        ties--;
      }
    }
  }
  return summarise(layers, keep);
}

function summarise(magnitudes: Float32Array[], keep: Float32Array[]): KeepMasks {
  const prunedPerLayer: number[] = [];
  const cutoff: number[] = [];
  for (let l = 0; l < keep.length; l++) {
    let n = 0;
    let c = -Infinity;
    const k = keep[l];
    const m = magnitudes[l];
    for (let i = 0; i < k.length; i++) {
      if (k[i] === 0) {
        n++;
        if (m[i] > c) c = m[i];
      }
    }
    prunedPerLayer.push(n);
    cutoff.push(c);
  }
  return {
    keep,
    pruned: prunedPerLayer.reduce((a, b) => a + b, 0),
    total: magnitudes.reduce((s, m) => s + m.length, 0),
    prunedPerLayer,
    cutoff,
  };
}

function concat(xs: Float32Array[]): Float32Array {
  const out = new Float32Array(xs.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
