import type { ModelSpec } from '../../shared/model-spec';
import { spikingParamNames } from '../snn/spec';
import { learnsDistance } from './kernels/distance';

/**
 * Number of trainable parameters, exactly as the paper counts them.
 *
 * Dense:   sum_i n_i * n_{i+1}  +  sum_{i>=2} n_i                      (weights + biases)
 * Spatial: (d-1) * sum_i n_i     +  sum_{i>=2} n_i  +  sum_{i<=L-1} n_i  (positions + biases + inhibition masks)
 *          + (L-1) learned gaps  (zMode 'learned-gap')
 *          + sum_i n_i per-neuron z values (zMode 'relaxed')
 *          + (L-1) learned distance-kernel parameters p / lambda / sigma (learnDistance)
 * Spiking models add (L-1) learned betas and/or (L-1) learned thresholds (none with both fixed, the paper's setting).
 */
export function countParams(spec: ModelSpec): number {
  return countBaseParams(spec) + spikingParamNames(spec).length;
}

function countBaseParams(spec: ModelSpec): number {
  const n = spec.layers;
  const biases = sum(n.slice(1));
  if (spec.kind === 'dense') {
    let weights = 0;
    for (let i = 0; i + 1 < n.length; i++) weights += n[i] * n[i + 1];
    return weights + biases;
  }
  const neurons = sum(n);
  const masks = sum(n.slice(0, -1));
  const positions = (spec.dim - 1) * neurons;
  const z = spec.zMode === 'relaxed' ? neurons : spec.zMode === 'learned-gap' ? n.length - 1 : 0;
  const kernel = learnsDistance(spec) ? n.length - 1 : 0;
  return positions + biases + masks + z + kernel;
}

/** Connections (synapses) between consecutive layers: sum_i n_i * n_{i+1}. */
export function countConnections(layers: readonly number[]): number {
  let c = 0;
  for (let i = 0; i + 1 < layers.length; i++) c += layers[i] * layers[i + 1];
  return c;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
