/**
 * An independent float64 reference of the spiking network (snnTorch `Leaky` semantics), written
 * with plain loops (no tfjs): forward simulation and a hand-written backpropagation through time
 * in which the Heaviside derivative is replaced by the surrogate, exactly as the engine does.
 *
 *   U[t] = beta U[t-1] + I[t] - S[t-1] thr      (subtract)   |   beta (1 - S[t-1]) U[t-1] + I[t]   (zero)
 *   S[t] = H(U[t] - thr),  dS/dU := g(U - thr),  the reset signal S[t-1] detached
 *   logits = (1/T) sum_t U_L[t]  (membrane-sum)  |  sum_t S_L[t]  (spike-count);  loss = mean CE
 */
import type { SpikingSpec } from '../../../src/shared/model-spec';

export interface SnnCase {
  /** neurons per layer, input first */
  layers: number[];
  /** effective weights W'_l, row-major [n_l, n_l+1], l = 0 … L-2 */
  weights: Float64Array[];
  /** b_l for l = 1 … L-1 (index l-1) */
  biases: Float64Array[];
  /** raw beta per spiking layer (index l-1); clamped to [0, 1] in the forward pass */
  beta: number[];
  /** threshold per spiking layer (index l-1) */
  threshold: number[];
  spec: SpikingSpec;
  /** the encoded input per step, [T][batch][n_0] */
  inputs: number[][][];
  labels: number[];
}

export interface SnnGradients {
  weights: Float64Array[];
  biases: Float64Array[];
  beta: number[];
  threshold: number[];
}

export interface SnnResult {
  loss: number;
  logits: number[][];
  grads: SnnGradients;
  /** smallest |U - thr| seen: float32 and float64 agree on every spike only when this is not tiny */
  margin: number;
  /** per spiking layer: spikes and membranes [T][batch][n] */
  spikes: number[][][][];
  membranes: number[][][][];
}

/** The surrogate derivative g(v), v = U - thr (snnTorch's ATan and fast sigmoid). */
export function surrogate(v: number, spec: SpikingSpec): number {
  const a = spec.surrogateSlope;
  if (spec.surrogate === 'fast-sigmoid') return 1 / (a * Math.abs(v) + 1) ** 2;
  return a / 2 / (1 + ((Math.PI / 2) * a * v) ** 2);
}

type Mat = number[][]; // [batch][n]

/** Forward simulation and BPTT of one case. */
export function referenceSnn(c: SnnCase): SnnResult {
  const { layers, spec } = c;
  const L = layers.length;
  const T = spec.timeSteps;
  const B = c.labels.length;
  const clampBeta = c.beta.map((b) => Math.min(1, Math.max(0, b)));
  // forward: X_l[t] is the input of the matmul into layer l (X_1 = encoded input, X_l = S_l-1)
  const X: Mat[][] = [c.inputs];
  const U: Mat[][] = [];
  const S: Mat[][] = [];
  let margin = Infinity;
  for (let l = 1; l < L; l++) {
    const n = layers[l];
    const w = c.weights[l - 1];
    const b = c.biases[l - 1];
    const [beta, thr] = [clampBeta[l - 1], c.threshold[l - 1]];
    const us: Mat[] = [];
    const ss: Mat[] = [];
    for (let t = 0; t < T; t++) {
      const cur = matmul(X[l - 1][t], w, layers[l - 1], n).map((row) => row.map((v, j) => v + b[j]));
      const u = cur.map((row, bi) =>
        row.map((i, j) => {
          if (t === 0) return i;
          const [up, sp] = [us[t - 1][bi][j], ss[t - 1][bi][j]];
          return spec.reset === 'zero' ? beta * (1 - sp) * up + i : beta * up + i - sp * thr;
        }),
      );
      for (const row of u) for (const v of row) margin = Math.min(margin, Math.abs(v - thr));
      us.push(u);
      ss.push(u.map((row) => row.map((v) => (v > thr ? 1 : 0))));
    }
    U.push(us);
    S.push(ss);
    X.push(ss);
  }
  const out = spec.decoding === 'spike-count' ? S[L - 2] : U[L - 2];
  const scale = spec.decoding === 'spike-count' ? 1 : 1 / T; // membrane: the mean over time
  const logits = zeros(B, layers[L - 1]).map((row, bi) =>
    row.map((_, j) => scale * out.reduce((s, m) => s + m[bi][j], 0)),
  );
  // loss and dL/dlogits = (softmax - onehot) / B
  let loss = 0;
  const dLogits = logits.map((row, bi) => {
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, v) => a + v, 0);
    loss += Math.log(sum) + max - row[c.labels[bi]];
    return e.map((v, j) => (v / sum - (j === c.labels[bi] ? 1 : 0)) / B);
  });
  loss /= B;
  const grads = backward(c, clampBeta, U, S, X, dLogits);
  return { loss, logits, grads, margin, spikes: S, membranes: U };
}

/** Backpropagation through time, layer by layer from the output down. */
function backward(c: SnnCase, beta: number[], U: Mat[][], S: Mat[][], X: Mat[][], dLogits: Mat): SnnGradients {
  const { layers, spec } = c;
  const L = layers.length;
  const T = spec.timeSteps;
  const B = c.labels.length;
  const grads: SnnGradients = {
    weights: c.weights.map((w) => new Float64Array(w.length)),
    biases: c.biases.map((b) => new Float64Array(b.length)),
    beta: beta.map(() => 0),
    threshold: beta.map(() => 0),
  };
  // dS[t] flowing into the current layer from above (the decoding, or the next layer's input)
  let dS: Mat[] = Array.from({ length: T }, () =>
    spec.decoding === 'spike-count' ? dLogits : zeros(B, layers[L - 1]),
  );
  for (let l = L - 1; l >= 1; l--) {
    const n = layers[l];
    const [us, ss, thr, bt] = [U[l - 1], S[l - 1], c.threshold[l - 1], beta[l - 1]];
    const dUext: Mat | null =
      l === L - 1 && spec.decoding === 'membrane-sum' ? dLogits.map((row) => row.map((v) => v / T)) : null;
    const dI: Mat[] = new Array(T);
    let carry = zeros(B, n); // dL/dU[t] through U[t+1]
    for (let t = T - 1; t >= 0; t--) {
      const dU = zeros(B, n);
      const nextCarry = zeros(B, n);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < n; j++) {
          const g = surrogate(us[t][b][j] - thr, spec);
          const total = (dUext ? dUext[b][j] : 0) + dS[t][b][j] * g + carry[b][j];
          grads.threshold[l - 1] -= dS[t][b][j] * g;
          dU[b][j] = total;
          if (t === 0) continue;
          const [up, sp] = [us[t - 1][b][j], ss[t - 1][b][j]];
          if (spec.reset === 'zero') {
            nextCarry[b][j] = bt * (1 - sp) * total;
            grads.beta[l - 1] += total * (1 - sp) * up;
          } else {
            nextCarry[b][j] = bt * total;
            grads.beta[l - 1] += total * up;
            grads.threshold[l - 1] -= total * sp;
          }
        }
      }
      dI[t] = dU;
      carry = nextCarry;
    }
    const raw = c.beta[l - 1];
    if (raw < 0 || raw > 1) grads.beta[l - 1] = 0; // clamp
    // I_l[t] = X[t] @ W + b
    const nIn = layers[l - 1];
    const w = c.weights[l - 1];
    const dX: Mat[] = [];
    for (let t = 0; t < T; t++) {
      const x = X[l - 1][t];
      const dx = zeros(B, nIn);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < n; j++) {
          const d = dI[t][b][j];
          grads.biases[l - 1][j] += d;
          for (let i = 0; i < nIn; i++) {
            grads.weights[l - 1][i * n + j] += x[b][i] * d;
            dx[b][i] += d * w[i * n + j];
          }
        }
      }
      dX.push(dx);
    }
    dS = dX;
  }
  return grads;
}

function matmul(x: Mat, w: Float64Array, nIn: number, nOut: number): Mat {
  return x.map((row) => {
    const out = new Array<number>(nOut).fill(0);
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) out[j] += row[i] * w[i * nOut + j];
    return out;
  });
}

function zeros(rows: number, cols: number): Mat {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/**
 * W'_l of a spatial model in float64, from the paper's formula (independent of the engine's kernels):
 *   W'_l[i, j] = mask_i / sqrt(||p_i - p_j||^2 + dz^2 + eps^2),  mask_i = 2 sigmoid(k v_i) - 1
 */
export function spatialWeights(spec: SpatialSpecLike, p: Map<string, Float64Array>, l: number): Float64Array {
  const [nIn, nOut] = [spec.layers[l], spec.layers[l + 1]];
  const c = spec.dim - 1;
  const a = p.get(`pos.${l}`)!;
  const b = p.get(`pos.${l + 1}`)!;
  const w = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    const mask = 2 / (1 + Math.exp(-spec.inhibitionSteepness * p.get(`inhib.${l}`)![i])) - 1;
    for (let j = 0; j < nOut; j++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += (a[i * c + k] - b[j * c + k]) ** 2;
      const dz =
        spec.zMode === 'relaxed'
          ? p.get(`z.${l + 1}`)![j] - p.get(`z.${l}`)![i]
          : spec.zMode === 'learned-gap'
            ? p.get(`gap.${l}`)![0]
            : 1;
      w[i * nOut + j] = mask / Math.sqrt(s + dz * dz + spec.distanceEpsilon ** 2);
    }
  }
  return w;
}

export interface SpatialSpecLike {
  layers: number[];
  dim: number;
  zMode: 'fixed-gap' | 'learned-gap' | 'relaxed';
  inhibitionSteepness: number;
  distanceEpsilon: number;
}
