import type { NamedArray } from '../../shared/codec';
import type { ModelSpec, SpatialModelSpec } from '../../shared/model-spec';
import type { PruneRank } from '../../shared/run-config';
import { applyKernel, kernelName, kernelTheta, learnsDistance } from '../model/kernels/distance';

/**
 * The ranking value of every connection, per layer [n_l * n_{l+1}] row-major:
 * - spatial layers, rank 'length' (default, the paper's rule): 1/d, d = sqrt(||p_i - p_j||^2 + dz^2 + eps^2),
 *   so removing the smallest values is removing the longest connections, whatever the distance kernel
 *   (every kernel falls with d). The inhibition value scales a neuron's output (all its synapses alike)
 *   and does not take part in the ranking, as in the paper.
 * - spatial layers, rank 'weight': the true |w| = |mask_i| * K(d_ij), mask included.
 * - dense layers: |w| (both ranks).
 */
export function connectionMagnitudes(
  spec: ModelSpec,
  params: ReadonlyMap<string, Float32Array>,
  rank: PruneRank = 'length',
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    if (spec.kind === 'dense') {
      const w = need(params, `weight.${l}`);
      const m = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) m[i] = Math.abs(w[i]);
      out.push(m);
    } else {
      const d = layerDistances(spec, params, l);
      if (rank === 'weight') out.push(trueMagnitudes(spec, params, l, d));
      else {
        for (let i = 0; i < d.length; i++) d[i] = 1 / d[i];
        out.push(d);
      }
    }
  }
  return out;
}

/** Distances d_ij between layer l and l+1 of a spatial network, [n_l * n_{l+1}] row-major. */
export function layerDistances(
  spec: SpatialModelSpec,
  params: ReadonlyMap<string, Float32Array>,
  l: number,
): Float32Array {
  const nIn = spec.layers[l];
  const nOut = spec.layers[l + 1];
  const c = spec.dim - 1;
  const pIn = need(params, `pos.${l}`);
  const pOut = need(params, `pos.${l + 1}`);
  const zIn = spec.zMode === 'relaxed' ? need(params, `z.${l}`) : null;
  const zOut = spec.zMode === 'relaxed' ? need(params, `z.${l + 1}`) : null;
  const gap = spec.zMode === 'learned-gap' ? need(params, `gap.${l}`)[0] : 1;
  const eps2 = spec.distanceEpsilon * spec.distanceEpsilon;
  const d = new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      const dz = zIn && zOut ? zOut[j] - zIn[i] : gap;
      let s = dz * dz + eps2;
      for (let k = 0; k < c; k++) {
        const t = pIn[i * c + k] - pOut[j * c + k];
        s += t * t;
      }
      d[i * nOut + j] = Math.sqrt(s);
    }
  }
  return d;
}

/** |w_ij| = |mask_i| * K(d_ij) of layer l, from its distances d (overwritten). */
function trueMagnitudes(
  spec: SpatialModelSpec,
  params: ReadonlyMap<string, Float32Array>,
  l: number,
  d: Float32Array,
): Float32Array {
  const theta = learnsDistance(spec) ? need(params, `dist.${l}`)[0] : kernelTheta(spec);
  applyKernel({ name: kernelName(spec), theta }, d, d);
  const v = need(params, `inhib.${l}`);
  const nOut = spec.layers[l + 1];
  for (let i = 0; i < v.length; i++) {
    const m = Math.abs(2 / (1 + Math.exp(-spec.inhibitionSteepness * v[i])) - 1);
    for (let j = 0; j < nOut; j++) d[i * nOut + j] *= m;
  }
  return d;
}

export function paramMap(arrays: readonly NamedArray[]): Map<string, Float32Array> {
  return new Map(arrays.map((a) => [a.name, a.data]));
}

function need(params: ReadonlyMap<string, Float32Array>, name: string): Float32Array {
  const v = params.get(name);
  if (!v) throw new Error(`model parameter "${name}" is missing`);
  return v;
}
