/**
 * What one neuron of the first hidden layer looks at: its incoming weights w_i,j = mask_i * K(d_ij)
 * from every input pixel i (the classic MLP receptive-field image, 28 x 28 for MNIST), and the input
 * pixels whose learned positions are closest to it. Pure code for the renderer and tests.
 */
import { connectionWeights, type EmbeddingGeometry } from './geometry';

export interface ReceptiveField {
  /** hidden neuron index in layer 1 */
  neuron: number;
  /** incoming weight from every input neuron (pixel), [n_0] */
  weights: Float32Array;
  /** the k input neurons nearest to the hidden neuron (full softened distance), nearest first */
  nearest: number[];
  /** their distances, same order */
  nearestDistances: number[];
}

/** Receptive field of hidden neuron j (layer 1); `weights` may be a cached connectionWeights(geom, 0). */
export function receptiveField(geom: EmbeddingGeometry, j: number, k = 10, weights?: Float32Array): ReceptiveField {
  const input = geom.layers[0];
  const hidden = geom.layers[1];
  if (!hidden || !(j >= 0 && j < hidden.n) || geom.layers.length < 3) {
    throw new Error(`receptive field: no hidden neuron ${j} in layer 1`);
  }
  const w = weights ?? connectionWeights(geom, 0);
  const column = new Float32Array(input.n);
  for (let i = 0; i < input.n; i++) column[i] = w[i * hidden.n + j];
  const eps2 = geom.eps * geom.eps;
  const dist = new Float64Array(input.n);
  for (let i = 0; i < input.n; i++) {
    let s = eps2 + (hidden.z[j] - input.z[i]) ** 2;
    for (let q = 0; q < input.c; q++) s += (input.coords[i * input.c + q] - hidden.coords[j * hidden.c + q]) ** 2;
    dist[i] = Math.sqrt(s);
  }
  const order = Array.from({ length: input.n }, (_, i) => i).sort((a, b) => dist[a] - dist[b] || a - b);
  const nearest = order.slice(0, Math.min(k, input.n));
  return { neuron: j, weights: column, nearest, nearestDistances: nearest.map((i) => dist[i]) };
}
