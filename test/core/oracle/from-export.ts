/**
 * A float64 forward pass of an exported model (`sen-lab export-model` JSON), written from
 * docs/model-format.md alone: it reads nothing but the export document and the input pixels, and
 * imports no engine code. Used to check that the export (and its documentation) reproduces `predict`.
 */
import type { ModelSpec, SpatialModelSpec } from '../../../src/shared/model-spec';

/** The parts of the export document the forward pass reads (everything else is informational). */
export interface ExportDoc {
  /** the ModelSpec (a type only: no engine code is imported) */
  model: ModelSpec;
  params: Record<string, { shape: number[]; data: (number | null)[] }>;
}

type Matrix = number[][];

/** Logits of every image (`x[b]`: the n_0 input values of image b), the images forming one batch. */
export function exportLogits(doc: ExportDoc, x: number[][]): number[][] {
  const W = weightMatrices(doc);
  if (!doc.model.spiking) return x.map((image) => denseForward(doc, W, image));
  return spikingForward(doc, W, x);
}

/** Parameter `name` as float64 numbers; a missing one is an error (the doc says it is there). */
export function param(doc: ExportDoc, name: string): number[] {
  const p = doc.params[name];
  if (!p) throw new Error(`export lacks ${name}`);
  return p.data.map((v) => (v === null ? NaN : v));
}

/** W_l[i][j] for l = 0 … L-2. */
function weightMatrices(doc: ExportDoc): Matrix[] {
  const n = doc.model.layers;
  const out: Matrix[] = [];
  for (let l = 0; l + 1 < n.length; l++) {
    out.push(doc.model.kind === 'dense' ? rows(param(doc, `weight.${l}`), n[l], n[l + 1]) : spatialWeights(doc, l));
  }
  return out;
}

function rows(data: number[], r: number, c: number): Matrix {
  return Array.from({ length: r }, (_, i) => data.slice(i * c, (i + 1) * c));
}

/** mask_i * K(d), d = sqrt(sum_c (p_i,c - q_j,c)^2 + (zOut_j - zIn_i)^2 + eps^2), K = 1/d unless model.distance says otherwise. */
function spatialWeights(doc: ExportDoc, l: number): Matrix {
  const m = doc.model as SpatialModelSpec;
  const [nIn, nOut] = [m.layers[l], m.layers[l + 1]];
  const c = m.dim - 1;
  const pIn = rows(param(doc, `pos.${l}`), nIn, c);
  const pOut = rows(param(doc, `pos.${l + 1}`), nOut, c);
  const { zIn, zOut } = zCoordinates(doc, l, nIn, nOut);
  const k = m.inhibitionSteepness;
  const eps = m.distanceEpsilon;
  const mask = param(doc, `inhib.${l}`).map((v) => 2 / (1 + Math.exp(-k * v)) - 1);
  return pIn.map((p, i) =>
    pOut.map((q, j) => {
      let sq = (zOut[j] - zIn[i]) ** 2 + eps * eps;
      for (let a = 0; a < c; a++) sq += (p[a] - q[a]) ** 2;
      return mask[i] * distanceKernel(doc, l, Math.sqrt(sq));
    }),
  );
}

/** K(d) as docs/model-format.md's "Distance kernels" section states it (t = dist.{l} when learned). */
function distanceKernel(doc: ExportDoc, l: number, d: number): number {
  const m = doc.model as SpatialModelSpec;
  if (m.distance === undefined || m.distance === 'inverse') return 1 / d;
  const t = m.learnDistance ? param(doc, `dist.${l}`)[0] : m.distance === 'power' ? m.distancePower! : m.distanceScale!;
  if (m.distance === 'power') return Math.exp(-t * Math.log(d));
  if (m.distance === 'exponential') return Math.exp(-d / t);
  return Math.exp(-(d * d) / (2 * t * t));
}

function zCoordinates(doc: ExportDoc, l: number, nIn: number, nOut: number): { zIn: number[]; zOut: number[] } {
  const mode = (doc.model as SpatialModelSpec).zMode;
  if (mode === 'relaxed') return { zIn: param(doc, `z.${l}`), zOut: param(doc, `z.${l + 1}`) };
  const top = mode === 'learned-gap' ? param(doc, `gap.${l}`)[0] : 1;
  return { zIn: new Array<number>(nIn).fill(0), zOut: new Array<number>(nOut).fill(top) };
}

/** h W + b, h a row vector. */
function affine(h: number[], w: Matrix, bias: number[]): number[] {
  const out = bias.slice();
  for (let i = 0; i < h.length; i++) {
    if (h[i] === 0) continue;
    const row = w[i];
    for (let j = 0; j < out.length; j++) out[j] += h[i] * row[j];
  }
  return out;
}

function denseForward(doc: ExportDoc, W: Matrix[], x: number[]): number[] {
  const L = doc.model.layers.length;
  let h = x;
  for (let l = 0; l + 1 < L; l++) {
    const a = affine(h, W[l], param(doc, `bias.${l + 1}`));
    h = l + 2 < L ? a.map(activation(doc.model.hiddenActivation)) : a;
  }
  return h;
}

function activation(f: ExportDoc['model']['hiddenActivation']): (a: number) => number {
  if (f === 'relu') return (a) => Math.max(0, a);
  if (f === 'tanh') return Math.tanh;
  return (a) => 1 / (1 + Math.exp(-a));
}

/** Spikes per spiking layer (l = 1 … L-1) in the last spikingForward call and the slots (T * batch * n_l) there were. */
export const lastSpikeStats = { spikes: [] as number[], slots: [] as number[] };

function spikingForward(doc: ExportDoc, W: Matrix[], x: number[][]): number[][] {
  const s = doc.model.spiking!;
  const n = doc.model.layers;
  const L = n.length;
  const T = s.timeSteps;
  lastSpikeStats.spikes = [];
  lastSpikeStats.slots = [];
  // X[t][b]: the encoded input
  let inputs: number[][][] = s.encoding === 'direct' ? Array.from({ length: T }, () => x) : rateCode(x, T);
  let outMembranes: number[][][] = [];
  let outSpikes: number[][][] = [];
  for (let l = 1; l < L; l++) {
    const beta = s.learnBeta ? Math.min(1, Math.max(0, param(doc, `beta.${l}`)[0])) : s.beta;
    const thr = s.learnThreshold ? param(doc, `threshold.${l}`)[0] : s.threshold;
    const bias = param(doc, `bias.${l}`);
    const membranes: number[][][] = [];
    const spikes: number[][][] = [];
    let U = x.map(() => new Array<number>(n[l]).fill(0));
    let S = x.map(() => new Array<number>(n[l]).fill(0));
    for (let t = 0; t < T; t++) {
      const I = inputs[t].map((h) => affine(h, W[l - 1], bias));
      U = U.map((u, b) =>
        u.map((v, j) =>
          s.reset === 'subtract' ? beta * v + I[b][j] - S[b][j] * thr : beta * (1 - S[b][j]) * v + I[b][j],
        ),
      );
      S = U.map((u) => u.map((v) => (v > thr ? 1 : 0)));
      membranes.push(U);
      spikes.push(S);
    }
    lastSpikeStats.spikes.push(spikes.flat(2).reduce((a, v) => a + v, 0));
    lastSpikeStats.slots.push(T * x.length * n[l]);
    inputs = spikes;
    outMembranes = membranes;
    outSpikes = spikes;
  }
  return x.map((_, b) =>
    Array.from({ length: n[L - 1] }, (_, j) => {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += s.decoding === 'spike-count' ? outSpikes[t][b][j] : outMembranes[t][b][j];
      return s.decoding === 'spike-count' ? sum : sum / T;
    }),
  );
}

/** Bernoulli rate coding with the documented generator: seed 0x5eed, draws in the order t, b, i. */
function rateCode(x: number[][], T: number): number[][][] {
  const next = sfc32(0x5eed);
  return Array.from({ length: T }, () => x.map((image) => image.map((v) => (next() < v ? 1 : 0))));
}

/** The documented generator: splitmix32 seed expansion, sfc32, 12 outputs discarded, u = r / 2^32. */
export function sfc32(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [split(), split(), split(), split()];
  const step = (): number => {
    const r = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + r) >>> 0;
    return r;
  };
  for (let i = 0; i < 12; i++) step();
  return () => step() / 4294967296;
}
