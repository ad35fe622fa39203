import type { NamedArray } from '../../shared/codec';
import type { ModelSpec } from '../../shared/model-spec';
import type { Rng } from '../util/rng';
import { spikingParamInit, spikingParamNames } from '../snn/spec';
import { kernelTheta, learnsDistance } from './kernels/distance';

/**
 * Initial parameters (the paper does not state them; these are our documented choices):
 * - spatial positions: every learned coordinate ~ U[-s/2, s/2], s = spec.initSpread (default 0.4*sqrt(widest hidden layer))
 * - relaxed z: z ~ U[l, l+1) for layer l (the paper's choice)
 * - learned gaps: 1 (the fixed-gap distance)
 * - inhibition values v ~ U[-a, a], a = spec.initInhibition (default 0.2)
 * - biases: 0 for spatial layers
 * - dense: PyTorch's nn.Linear default, weights and biases ~ U[-1/sqrt(fanIn), 1/sqrt(fanIn)]
 * - learned distance-kernel parameters: dist.{l} = the spec's p / lambda / sigma (distancePower / distanceScale)
 * - spiking models with learnBeta / learnThreshold: beta.{l} = spec.spiking.beta, threshold.{l} = spec.spiking.threshold
 * Parameters are created in the order of `initialParamNames`.
 */
export function initialParams(spec: ModelSpec, rng: Rng): NamedArray[] {
  const n = spec.layers;
  const L = n.length;
  const out: NamedArray[] = [];
  const uniform = (name: string, shape: number[], lo: number, hi: number): void => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(lo, hi);
    out.push({ name, shape, data });
  };
  const constant = (name: string, shape: number[], value: number): void => {
    out.push({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value) });
  };

  if (spec.kind === 'dense') {
    for (let l = 0; l + 1 < L; l++) {
      const bound = 1 / Math.sqrt(n[l]);
      uniform(`weight.${l}`, [n[l], n[l + 1]], -bound, bound);
      uniform(`bias.${l + 1}`, [n[l + 1]], -bound, bound);
    }
    return withSpikingParams(spec, out);
  }
  const half = spec.initSpread / 2;
  for (let l = 0; l < L; l++) {
    uniform(`pos.${l}`, [n[l], spec.dim - 1], -half, half);
    if (spec.zMode === 'relaxed') uniform(`z.${l}`, [n[l]], l, l + 1);
    if (l + 1 < L) {
      if (spec.zMode === 'learned-gap') constant(`gap.${l}`, [1], 1);
      uniform(`inhib.${l}`, [n[l]], -spec.initInhibition, spec.initInhibition);
    }
    if (l > 0) constant(`bias.${l}`, [n[l]], 0);
  }
  if (learnsDistance(spec)) for (let l = 0; l + 1 < L; l++) constant(`dist.${l}`, [1], kernelTheta(spec));
  return withSpikingParams(spec, out);
}

/** Learned spiking scalars (beta.{l}, threshold.{l}, shape [1]) start at the spec's fixed values; appended last. */
function withSpikingParams(spec: ModelSpec, out: NamedArray[]): NamedArray[] {
  for (const name of spikingParamNames(spec)) {
    out.push({ name, shape: [1], data: Float32Array.of(spikingParamInit(spec.spiking!, name)) });
  }
  return out;
}
