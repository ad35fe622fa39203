/**
 * Activations of a spatial network for one input, in plain JS from the parameter arrays
 * (no tfjs: one image through 784x2048 weights is 1.6 M multiply-adds, instant, and leaves nothing
 * to dispose). The same forward as the engine:
 *   h_{l+1} = f( sum_i mask_i h_{l,i} / d_ij + b_{l+1,j} ),  f = hidden activation, identity on the output,
 * with d_ij and mask_i from src/shared/geometry.ts. Tests compare the logits with Network.forward.
 */
import type { NamedArray } from '../../shared/codec';
import { connectionWeights, layerGeometry, type EmbeddingGeometry } from '../../shared/geometry';
import type { HiddenActivation, SpatialModelSpec } from '../../shared/model-spec';
import type { Split } from '../data/types';

export interface Activations {
  geometry: EmbeddingGeometry;
  /** h_l per layer: the input itself, then the hidden activations, then the logits */
  h: Float32Array[];
  /**
   * What a neuron passes on: mask_i * h_{l,i} for input and hidden layers (the masked activation
   * the paper colours Fig. 6 by); the logits for the output layer (no mask there)
   */
  masked: Float32Array[];
}

/** Forward one input vector [n_0] through a (non-spiking) spatial network. */
export function spatialActivations(
  spec: SpatialModelSpec,
  arrays: readonly NamedArray[],
  input: Float32Array,
): Activations {
  if (input.length !== spec.layers[0])
    throw new Error(`input has ${input.length} values, the model expects ${spec.layers[0]}`);
  const geometry = layerGeometry(spec, [...arrays]);
  const byName = new Map(arrays.map((a) => [a.name, a.data]));
  const L = spec.layers.length;
  const h: Float32Array[] = [Float32Array.from(input)];
  for (let l = 0; l + 1 < L; l++) {
    const nIn = spec.layers[l];
    const nOut = spec.layers[l + 1];
    const w = connectionWeights(geometry, l);
    const bias = byName.get(`bias.${l + 1}`);
    if (!bias) throw new Error(`model parameter "bias.${l + 1}" is missing`);
    const next = Float64Array.from(bias);
    const prev = h[l];
    for (let i = 0; i < nIn; i++) {
      const hi = prev[i];
      if (hi === 0) continue; // ReLU zeros and blank pixels contribute nothing
      const row = i * nOut;
      for (let j = 0; j < nOut; j++) next[j] += hi * w[row + j];
    }
    h.push(Float32Array.from(next, (v) => (l + 2 < L ? activate(v, spec.hiddenActivation) : v)));
  }
  const masked = h.map((hl, l) => {
    const mask = geometry.layers[l].mask;
    return mask ? hl.map((v, i) => v * mask[i]) : Float32Array.from(hl);
  });
  return { geometry, h, masked };
}

function activate(v: number, f: HiddenActivation): number {
  if (f === 'relu') return v > 0 ? v : 0;
  if (f === 'tanh') return Math.tanh(v);
  return 1 / (1 + Math.exp(-v));
}

/**
 * The pixel-wise mean of every image of class `digit` in a split.
 * @throws when the split holds no image of that class
 */
export function averageImage(split: Split, digit: number, pixels: number): { image: Float32Array; count: number } {
  const sum = new Float64Array(pixels);
  let count = 0;
  for (let k = 0; k < split.count; k++) {
    if (split.labels[k] !== digit) continue;
    count++;
    const off = k * pixels;
    for (let p = 0; p < pixels; p++) sum[p] += split.images[off + p];
  }
  if (count === 0) throw new Error(`no test image of class ${digit} in the ${split.count} test images used`);
  return { image: Float32Array.from(sum, (v) => v / count), count };
}

/** The first image of class `digit` in a split, with its index. */
export function firstImage(split: Split, digit: number, pixels: number): { image: Float32Array; index: number } {
  for (let k = 0; k < split.count; k++) {
    if (split.labels[k] === digit) return { image: split.images.slice(k * pixels, (k + 1) * pixels), index: k };
  }
  throw new Error(`no test image of class ${digit} in the ${split.count} test images used`);
}
