/**
 * An independent float64 reference of the spatial and dense MLPs, written from the paper's
 * equations with plain loops (no tfjs), used as the oracle for finite differences.
 */
import type { NamedArray } from '../../../src/shared/codec';
import type { ModelSpec } from '../../../src/shared/model-spec';

export type Params = Map<string, Float64Array>;

export function toParams(arrays: NamedArray[]): Params {
  return new Map(arrays.map((a) => [a.name, Float64Array.from(a.data)]));
}

/** Mean softmax cross-entropy of the network on inputs x [batch, n0] with integer labels. */
export function referenceLoss(spec: ModelSpec, p: Params, x: number[][], labels: number[]): number {
  let total = 0;
  for (let b = 0; b < x.length; b++) {
    const logits = referenceForward(spec, p, x[b]);
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
    total += lse - logits[labels[b]];
  }
  return total / x.length;
}

export function referenceForward(spec: ModelSpec, p: Params, input: number[]): number[] {
  const n = spec.layers;
  let h = input.slice();
  for (let l = 0; l + 1 < n.length; l++) {
    const next: number[] = [];
    for (let j = 0; j < n[l + 1]; j++) {
      let s = p.get(`bias.${l + 1}`)![j];
      for (let i = 0; i < n[l]; i++) s += h[i] * weight(spec, p, l, i, j);
      next.push(l + 2 < n.length ? Math.max(0, s) : s);
    }
    h = next;
  }
  return h;
}

/**
 * w'_ij = mask_i * K(d), d = sqrt(sum_k (p_ik - p_jk)^2 + dz^2 + eps^2) for spatial layers, with K the
 * spec's distance kernel: 1/d (default), d^-p, exp(-d/lambda), exp(-d^2/(2 sigma^2)); a learned
 * parameter is read from dist.{l}.
 */
function weight(spec: ModelSpec, p: Params, l: number, i: number, j: number): number {
  if (spec.kind === 'dense') return p.get(`weight.${l}`)![i * spec.layers[l + 1] + j];
  const v = p.get(`inhib.${l}`)![i];
  const mask = 2 / (1 + Math.exp(-spec.inhibitionSteepness * v)) - 1;
  return mask * kernel(spec, p, l, distance(spec, p, l, i, j));
}

/** d_ij = sqrt(sum_k (p_ik - p_jk)^2 + dz^2 + eps^2) between neuron i of layer l and j of layer l+1. */
function distance(spec: ModelSpec & { kind: 'spatial' }, p: Params, l: number, i: number, j: number): number {
  const c = spec.dim - 1;
  const a = p.get(`pos.${l}`)!;
  const b = p.get(`pos.${l + 1}`)!;
  let s = 0;
  for (let k = 0; k < c; k++) s += (a[i * c + k] - b[j * c + k]) ** 2;
  let dz: number;
  if (spec.zMode === 'relaxed') dz = p.get(`z.${l + 1}`)![j] - p.get(`z.${l}`)![i];
  else if (spec.zMode === 'learned-gap') dz = p.get(`gap.${l}`)![0];
  else dz = 1;
  s += dz * dz + spec.distanceEpsilon ** 2;
  return Math.sqrt(s);
}

/** The wiring cost sum over layers and connections of |w'_ij| d_ij. */
export function referenceWiring(spec: ModelSpec, p: Params): number {
  if (spec.kind !== 'spatial') throw new Error('spatial only');
  let total = 0;
  const n = spec.layers;
  for (let l = 0; l + 1 < n.length; l++) {
    for (let i = 0; i < n[l]; i++) {
      for (let j = 0; j < n[l + 1]; j++) total += Math.abs(weight(spec, p, l, i, j)) * distance(spec, p, l, i, j);
    }
  }
  return total;
}

function kernel(spec: ModelSpec & { kind: 'spatial' }, p: Params, l: number, d: number): number {
  const name = spec.distance ?? 'inverse';
  if (name === 'inverse') return 1 / d;
  const fixed = name === 'power' ? spec.distancePower! : spec.distanceScale!;
  const t = spec.learnDistance ? p.get(`dist.${l}`)![0] : fixed;
  if (name === 'power') return d ** -t;
  if (name === 'exponential') return Math.exp(-d / t);
  return Math.exp(-(d * d) / (2 * t * t));
}
