/**
 * Distance-based pruning worked out in the renderer from a position snapshot, the way the engine
 * does it (src/core/prune: spatial connections are ranked by |w| = 1/d, so removing the smallest
 * magnitudes removes the longest connections; the inhibition mask takes no part in the ranking).
 *
 * One ConnectionTable per snapshot holds d and w = mask_i / d of every connection in flat typed
 * arrays (784-2048-10: 1.6 M connections, 13 MB); everything else is a loop over them, no
 * per-connection objects.
 */
import type { EmbeddingGeometry, LayerGeometry } from '../../../shared/geometry';
import type { PruneScope } from '../../../shared/lab-api';
import { kthSmallest } from '../../../shared/quickselect';

/** re-exported for the pruning histograms (shared with core's magnitude selection) */
export { kthSmallest };

export interface ConnectionTable {
  /** connections per layer pair l -> l+1 and where they start in the flat arrays */
  layers: { from: number; to: number; offset: number; count: number }[];
  total: number;
  /** distance of every connection, layer after layer, row-major [n_l, n_{l+1}] */
  dist: Float32Array;
  /** signed weight mask_i / d of every connection */
  weight: Float32Array;
  minDistance: number;
  maxDistance: number;
  maxAbsWeight: number;
}

/** Distances and weights of every connection of a spatial network's geometry. */
export function connectionTable(geom: EmbeddingGeometry): ConnectionTable {
  const layers: ConnectionTable['layers'] = [];
  let total = 0;
  for (let l = 0; l + 1 < geom.layers.length; l++) {
    const count = geom.layers[l].n * geom.layers[l + 1].n;
    layers.push({ from: l, to: l + 1, offset: total, count });
    total += count;
  }
  const dist = new Float32Array(total);
  const weight = new Float32Array(total);
  const eps2 = geom.eps * geom.eps;
  for (const part of layers) fillPair(geom.layers[part.from], geom.layers[part.to], eps2, dist, weight, part.offset);
  let minDistance = Infinity;
  let maxDistance = 0;
  let maxAbsWeight = 0;
  for (let e = 0; e < total; e++) {
    const d = dist[e];
    if (d < minDistance) minDistance = d;
    if (d > maxDistance) maxDistance = d;
    const a = Math.abs(weight[e]);
    if (a > maxAbsWeight && a < Infinity) maxAbsWeight = a;
  }
  return { layers, total, dist, weight, minDistance: total ? minDistance : 0, maxDistance, maxAbsWeight };
}

function fillPair(
  a: LayerGeometry,
  b: LayerGeometry,
  eps2: number,
  dist: Float32Array,
  weight: Float32Array,
  start: number,
): void {
  const c = a.c;
  const mask = a.mask as Float32Array;
  let e = start;
  for (let i = 0; i < a.n; i++) {
    const m = mask[i];
    const zi = a.z[i];
    for (let j = 0; j < b.n; j++, e++) {
      // summed in the order of shared/geometry.ts's distance(), so the float32 distances here are
      // bit-identical to the ones strongestConnections' maxDistance compares (drawn set = kept set)
      let s = eps2;
      for (let q = 0; q < c; q++) {
        const t = a.coords[i * c + q] - b.coords[j * c + q];
        s += t * t;
      }
      const dz = b.z[j] - zi;
      const d = Math.sqrt(s + dz * dz);
      dist[e] = d;
      weight[e] = m / d;
    }
  }
}

/**
 * Per layer pair, the longest distance kept when `rate` of the connections are removed, longest
 * first: over all layers together ('global', one cut-off repeated) or each layer on its own. Rate
 * 0 keeps everything (Infinity). Ties at the cut-off are kept here; the engine breaks them by index,
 * which only matters for exactly equal float distances.
 */
export function cutoffForRate(table: ConnectionTable, rate: number, scope: PruneScope): number[] {
  if (scope === 'per-layer') {
    return table.layers.map((p) =>
      kthDistance(table.dist.subarray(p.offset, p.offset + p.count), p.count - Math.round(rate * p.count)),
    );
  }
  const cut = kthDistance(table.dist, table.total - Math.round(rate * table.total));
  return table.layers.map(() => cut);
}

/** the `kept`-th smallest distance (1-based); Infinity when everything is kept, -Infinity when nothing */
function kthDistance(dist: Float32Array, kept: number): number {
  if (kept >= dist.length) return Infinity;
  if (kept <= 0) return -Infinity;
  return kthSmallest(dist.slice(), kept - 1);
}

export interface KeptCounts {
  kept: number;
  total: number;
  /** fraction removed */
  sparsity: number;
  perLayer: { kept: number; total: number; sparsity: number }[];
}

/** How many connections survive per-layer distance cut-offs (d <= cutoff[l] is kept). */
export function keptCounts(table: ConnectionTable, cutoffs: readonly number[]): KeptCounts {
  const { dist } = table;
  const perLayer = table.layers.map((p, l) => {
    const cut = cutoffs[l] ?? Infinity;
    let kept = 0;
    for (let e = p.offset, end = p.offset + p.count; e < end; e++) if (dist[e] <= cut) kept++;
    return { kept, total: p.count, sparsity: p.count ? 1 - kept / p.count : 0 };
  });
  const kept = perLayer.reduce((s, p) => s + p.kept, 0);
  return { kept, total: table.total, sparsity: table.total ? 1 - kept / table.total : 0, perLayer };
}

/**
 * A pruned view of a network. EmbeddingView draws exactly the kept connections with the option
 * `maxDistance: cut.cutoffs` (float32 d <= cutoff[l], the comparison keptCounts makes), of which
 * the line cap keeps the strongest |w| = |mask_i| / d: `counts.kept` lines when that is below the cap.
 */
export interface PruneCut {
  /** null: unpruned */
  rate: number | null;
  maxDistance: number | null;
  /** per layer pair: the longest distance kept (Infinity: no cut) */
  cutoffs: number[];
  counts: KeptCounts;
  /** some connection is removed */
  pruned: boolean;
}

export function pruneCut(
  table: ConnectionTable,
  opts: { rate?: number | null; maxDistance?: number | null; scope?: PruneScope },
): PruneCut {
  const rate = opts.rate ?? null;
  const maxDistance = opts.maxDistance ?? null;
  const cutoffs =
    maxDistance !== null
      ? table.layers.map(() => maxDistance)
      : rate !== null && rate > 0
        ? cutoffForRate(table, rate, opts.scope ?? 'global')
        : table.layers.map(() => Infinity);
  const counts = keptCounts(table, cutoffs);
  return { rate, maxDistance, cutoffs, counts, pruned: counts.kept < counts.total };
}

/** Layer pair names: "input → hidden 1", "hidden 1 → output". */
export function layerPairName(from: number, layerCount: number): string {
  const name = (l: number): string =>
    l === 0 ? 'input' : l === layerCount - 1 ? 'output' : layerCount > 3 ? `hidden ${l}` : 'hidden';
  return `${name(from)} → ${name(from + 1)}`;
}
