/**
 * Wiring measurements of a spatial network from its parameter arrays (plain typed arrays, no tfjs):
 * per layer pair the total length sum d_ij, the strength-weighted length sum |w_ij| d_ij, the mean and
 * 90th percentile of d_ij, the z gap, and the share of sum |w| carried by the shortest 10 % of the
 * connections; the same totals over all layers.
 */
import type { SpatialModelSpec } from '../../shared/model-spec';
import type { WiringEpoch, WiringLayer } from '../../shared/analysis';
import { learnsDistance } from '../model/kernels/distance';
import { connectionMagnitudes, layerDistances } from '../prune/magnitudes';

/** The share of the shortest connections whose |w| `shortShare` reports. */
export const SHORT_FRACTION = 0.1;

export function wiringMetrics(
  spec: SpatialModelSpec,
  params: ReadonlyMap<string, Float32Array>,
  epoch: number,
): WiringEpoch {
  const magnitudes = connectionMagnitudes(spec, params, 'weight');
  const layers: WiringLayer[] = [];
  const allD: Float32Array[] = [];
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    const d = layerDistances(spec, params, l);
    const w = magnitudes[l];
    allD.push(d);
    let total = 0;
    let weighted = 0;
    for (let q = 0; q < d.length; q++) {
      total += d[q];
      weighted += w[q] * d[q];
    }
    const sorted = Float32Array.from(d).sort();
    layers.push({
      layer: l,
      connections: d.length,
      totalLength: total,
      weightedLength: weighted,
      meanLength: total / d.length,
      p90Length: quantile(sorted, 0.9),
      gap: gapOf(spec, params, l),
      shortShare: shortShare([d], [w]),
      ...(learnsDistance(spec) ? { kernelParam: params.get(`dist.${l}`)![0] } : {}),
    });
  }
  return {
    epoch,
    totalLength: layers.reduce((s, x) => s + x.totalLength, 0),
    weightedLength: layers.reduce((s, x) => s + x.weightedLength, 0),
    shortShare: shortShare(allD, magnitudes),
    layers,
  };
}

/** Linear-interpolated quantile q of ascending values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Share of sum |w| carried by the ceil(10 %) shortest connections of the given layers together
 * (ties at the cut-off length counted in storage order, so exactly that many count). Uses a numeric
 * sort of the lengths only (a comparator sort of 1.6 M indices is far slower).
 */
function shortShare(ds: Float32Array[], ws: Float32Array[]): number {
  const n = ds.reduce((s, d) => s + d.length, 0);
  const sorted = new Float32Array(n);
  let o = 0;
  for (const d of ds) {
    sorted.set(d, o);
    o += d.length;
  }
  sorted.sort();
  const take = Math.ceil(SHORT_FRACTION * n);
  const cut = sorted[take - 1];
  let below = 0;
  for (let r = 0; r < take; r++) if (sorted[r] < cut) below++;
  let ties = take - below; // connections of length exactly `cut` that still count
  let short = 0;
  let total = 0;
  ds.forEach((d, l) => {
    const w = ws[l];
    for (let q = 0; q < d.length; q++) {
      total += w[q];
      if (d[q] < cut) short += w[q];
      else if (d[q] === cut && ties > 0) {
        short += w[q];
        ties--;
      }
    }
  });
  return total > 0 ? short / total : NaN;
}

function gapOf(spec: SpatialModelSpec, params: ReadonlyMap<string, Float32Array>, l: number): number {
  if (spec.zMode === 'fixed-gap') return 1;
  if (spec.zMode === 'learned-gap') return params.get(`gap.${l}`)![0];
  const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  return mean(params.get(`z.${l + 1}`)!) - mean(params.get(`z.${l}`)!);
}
