/**
 * Model specifications shared by the engine, the store, the CLI and the renderer.
 * Types only: no runtime code lives in `src/shared` except small pure helpers.
 */

/** How the layer-fixed coordinate (z, the last of the d coordinates) is treated. */
export type ZMode =
  /** consecutive layers are exactly 1 apart in z; nothing about z is learned */
  | 'fixed-gap'
  /** one learned gap per pair of consecutive layers (the paper's "3D MLP") */
  | 'learned-gap'
  /** z learned per neuron, initialised z ~ U[l, l+1) for layer l; layers may interleave */
  | 'relaxed';

export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid';

/**
 * How a connection's strength falls with its (softened) length d (see docs/model-format.md):
 * inverse 1/d (the paper's), power d^-p, exponential exp(-d/lambda), gaussian exp(-d^2/(2 sigma^2)).
 */
export type DistanceKernelName = 'inverse' | 'power' | 'exponential' | 'gaussian';

/**
 * Leaky integrate-and-fire neurons (snnTorch-style) in place of the hidden and output activations:
 *   U[t] = beta * U[t-1] + I[t] - reset,  S[t] = H(U[t] - threshold),
 * unrolled over `timeSteps` and trained with backpropagation through time and a surrogate gradient.
 */
export interface SpikingSpec {
  /** time steps T (default 25) */
  timeSteps: number;
  /** membrane decay (default 0.95) */
  beta: number;
  /** firing threshold (default 1) */
  threshold: number;
  /** learn one beta per layer (default false: fixed, as in the paper) */
  learnBeta: boolean;
  /** learn one threshold per layer (default false) */
  learnThreshold: boolean;
  /** after a spike: subtract the threshold (default) or reset the membrane to zero */
  reset: 'subtract' | 'zero';
  /** surrogate of dS/dU: 'atan' (default, snnTorch's) or 'fast-sigmoid' */
  surrogate: 'atan' | 'fast-sigmoid';
  /** surrogate slope: alpha for atan (default 2), k for fast sigmoid (default 25) */
  surrogateSlope: number;
  /** input encoding: the image as a constant current every step (default) or Poisson rate coding */
  encoding: 'direct' | 'rate';
  /** output decoding for cross-entropy: the output membrane potential averaged over the T steps (default; a plain sum grows with T and trained worse) or spike counts */
  decoding: 'membrane-sum' | 'spike-count';
}

/** A spatially embedded MLP: w_ij = 1 / ||p_i - p_j||. */
export interface SpatialModelSpec {
  kind: 'spatial';
  /** neurons per layer, input first, output last (e.g. [784, 2048, 10]) */
  layers: number[];
  /** embedding dimension d >= 2: d-1 coordinates learned per neuron, the last one layer-fixed */
  dim: number;
  zMode: ZMode;
  /** k in mask = 2*sigmoid(k*v) - 1 (default 5) */
  inhibitionSteepness: number;
  /** softening epsilon: d = sqrt(||dp||^2 + eps^2). Default 0 for fixed/learned gap, 0.05 for relaxed */
  distanceEpsilon: number;
  /** positions start uniform in [-initSpread/2, initSpread/2] for every learned coordinate (default 0.4 * sqrt(widest hidden layer)) */
  initSpread: number;
  /** inhibition values start uniform in [-initInhibition, initInhibition] (default 0.2) */
  initInhibition: number;
  hiddenActivation: HiddenActivation;
  /** distance kernel K in w = mask * K(d); absent means 'inverse' (the paper's w = mask / d) */
  distance?: DistanceKernelName;
  /** exponent p of the 'power' kernel (default 2; the initial value when learned) */
  distancePower?: number;
  /** lambda of 'exponential' or sigma of 'gaussian' (default 1; the initial value when learned) */
  distanceScale?: number;
  /** learn the kernel parameter, one per layer pair (parameter dist.{l}); not for 'inverse' */
  learnDistance?: boolean;
  /** present: a spiking network (LIF neurons) with the same spatial weights */
  spiking?: SpikingSpec;
}

/** A plain fully connected MLP baseline. */
export interface DenseModelSpec {
  kind: 'dense';
  layers: number[];
  hiddenActivation: HiddenActivation;
  /** present: a spiking dense baseline */
  spiking?: SpikingSpec;
}

export type ModelSpec = SpatialModelSpec | DenseModelSpec;
