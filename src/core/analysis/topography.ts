/**
 * Topography score of each hidden layer: do neurons that prefer the same class sit together in the
 * plane (the paper's Fig. 6 as a number)? For neuron i with mean activation a_ic on probe images of
 * class c, the selectivity x_ic = (a_ic - mean_c a_ic) / (sd_c a_ic) (0 for a silent neuron). Moran's I
 * of each class map over the k-nearest-neighbour graph of the learned coordinates (binary weights):
 *   I_c = (N / (N k)) * sum_i sum_{j in kNN(i)} u_ic u_jc / sum_i u_ic^2,   u_ic = x_ic - mean_i x_ic
 * averaged over the classes with any variance. The baseline is the same statistic with the neurons'
 * places permuted at random (seeded, so a run's scores are reproducible); z and a one-sided p-value
 * compare the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TopographyEpoch, TopographyLayer } from '../../shared/analysis';
import type { Split } from '../data/types';
import type { Network } from '../model/network';
import { Rng } from '../util/rng';

export const TOPOGRAPHY_DEFAULTS = { probe: 1000, k: 8, permutations: 49 };

/** Topography of every hidden layer of a non-spiking spatial network; undefined otherwise. */
export function topography(
  net: Network,
  split: Split,
  classes: number,
  epoch: number,
  o = TOPOGRAPHY_DEFAULTS,
): TopographyEpoch | undefined {
  const spec = net.spec;
  if (spec.kind !== 'spatial' || spec.spiking || spec.layers.length < 3) return undefined;
  const n = Math.min(o.probe, split.count);
  const pixels = spec.layers[0];
  const hidden = tf.tidy(() => {
    const outs = net.layerOutputs(tf.tensor2d(split.images.subarray(0, n * pixels), [n, pixels]));
    return outs.slice(0, -1).map((h) => h.dataSync() as Float32Array);
  });
  const labels = split.labels.subarray(0, n);
  const params = net.paramValues();
  const layers: TopographyLayer[] = hidden.map((h, idx) => {
    const l = idx + 1;
    const width = spec.layers[l];
    const means = classMeans(h, labels, width, classes);
    const coords = params.get(`pos.${l}`)!;
    const neighbours = nearestNeighbours(coords, width, spec.dim - 1, Math.min(o.k, width - 1));
    return moranScore(l, means, width, classes, neighbours, o.permutations, Rng.fromSeed(epoch * 1009 + l));
  });
  return { epoch, probe: n, layers };
}

/** a_ic: mean activation of neuron i over the probe images of class c, [width * classes]. */
export function classMeans(h: Float32Array, labels: Uint8Array, width: number, classes: number): Float64Array {
  const sums = new Float64Array(width * classes);
  const counts = new Float64Array(classes);
  for (let b = 0; b < labels.length; b++) {
    const c = labels[b];
    if (c >= classes) continue;
    counts[c]++;
    for (let i = 0; i < width; i++) sums[i * classes + c] += h[b * width + i];
  }
  for (let i = 0; i < width; i++) for (let c = 0; c < classes; c++) sums[i * classes + c] /= counts[c] || 1;
  return sums;
}

/** Indices of the k nearest other neurons of each neuron by its learned coordinates, [n * k]. */
export function nearestNeighbours(coords: Float32Array, n: number, c: number, k: number): Int32Array {
  const out = new Int32Array(n * k);
  const bestD = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    bestD.fill(Infinity);
    const row = out.subarray(i * k, (i + 1) * k).fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d = 0;
      for (let q = 0; q < c; q++) d += (coords[i * c + q] - coords[j * c + q]) ** 2;
      if (d >= bestD[k - 1]) continue;
      let r = k - 1; // insertion into the sorted list of the k best
      while (r > 0 && bestD[r - 1] > d) {
        bestD[r] = bestD[r - 1];
        row[r] = row[r - 1];
        r--;
      }
      bestD[r] = d;
      row[r] = j;
    }
  }
  return out;
}

/** Moran's I of the class selectivity maps, its permutation baseline and every neuron's preferred class. */
export function moranScore(
  layer: number,
  means: Float64Array,
  width: number,
  classes: number,
  neighbours: Int32Array,
  permutations: number,
  rng: Rng,
): TopographyLayer {
  const k = neighbours.length / width;
  const u = selectivity(means, width, classes);
  const identity = Int32Array.from({ length: width }, (_, i) => i);
  const observed = moranI(u, width, classes, neighbours, k, identity);
  const perm = Int32Array.from(identity);
  const samples: number[] = [];
  for (let r = 0; r < permutations; r++) samples.push(moranI(u, width, classes, neighbours, k, rng.shuffle(perm)));
  const mean = samples.reduce((s, v) => s + v, 0) / Math.max(1, samples.length);
  const sd = Math.sqrt(samples.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, samples.length - 1));
  const preferred: number[] = [];
  for (let i = 0; i < width; i++) {
    let best = -1;
    let bestValue = 0;
    for (let c = 0; c < classes; c++) {
      if (means[i * classes + c] > bestValue) {
        bestValue = means[i * classes + c];
        best = c;
      }
    }
    preferred.push(best);
  }
  return {
    layer,
    k,
    moranI: observed,
    baselineMean: mean,
    baselineStd: sd,
    z: sd > 0 ? (observed - mean) / sd : NaN,
    p: (1 + samples.filter((v) => v >= observed).length) / (1 + permutations),
    permutations,
    preferred,
  };
}

/** u_ic = x_ic - mean_i x_ic with x_ic the z-scored class profile of neuron i (0 when silent or flat). */
function selectivity(means: Float64Array, width: number, classes: number): Float64Array {
  const x = new Float64Array(width * classes);
  for (let i = 0; i < width; i++) {
    let m = 0;
    for (let c = 0; c < classes; c++) m += means[i * classes + c];
    m /= classes;
    let v = 0;
    for (let c = 0; c < classes; c++) v += (means[i * classes + c] - m) ** 2;
    const sd = Math.sqrt(v / classes);
    if (sd > 1e-12) for (let c = 0; c < classes; c++) x[i * classes + c] = (means[i * classes + c] - m) / sd;
  }
  for (let c = 0; c < classes; c++) {
    let m = 0;
    for (let i = 0; i < width; i++) m += x[i * classes + c];
    m /= width;
    for (let i = 0; i < width; i++) x[i * classes + c] -= m;
  }
  return x;
}

/** Moran's I averaged over classes with the values of neuron place[i] put at place i. */
function moranI(u: Float64Array, width: number, classes: number, nb: Int32Array, k: number, place: Int32Array): number {
  let sum = 0;
  let used = 0;
  for (let c = 0; c < classes; c++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < width; i++) {
      const ui = u[place[i] * classes + c];
      den += ui * ui;
      let s = 0;
      for (let r = 0; r < k; r++) s += u[place[nb[i * k + r]] * classes + c];
      num += ui * s;
    }
    if (den > 0) {
      sum += num / (den * k); // N / (N k) * num / den
      used++;
    }
  }
  return used ? sum / used : NaN;
}
