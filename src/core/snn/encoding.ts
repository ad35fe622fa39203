import { Rng } from '../util/rng';

/** Seed of the generator used when a rate-coded forward pass is given no `rng` (inference, tests). */
export const DEFAULT_RATE_SEED = 0x5eed;

/**
 * Poisson (Bernoulli) rate coding, snnTorch's `spikegen.rate`: for every step t and pixel i,
 *   s[t, b, i] = 1 if u < clamp(x[b, i], 0, 1) else 0,   u ~ U[0, 1) from `rng`,
 * drawn in the order t, then b, then i, so a seeded Rng gives the same spikes on every backend.
 * Returns a [T * batch, n] row-major array (time-major: rows t*batch … t*batch + batch - 1 are step t).
 */
export function rateEncode(x: ArrayLike<number>, batch: number, timeSteps: number, rng: Rng): Float32Array {
  const size = x.length;
  const out = new Float32Array(timeSteps * size);
  for (let t = 0; t < timeSteps; t++) {
    const base = t * size;
    for (let k = 0; k < size; k++) if (rng.next() < x[k]) out[base + k] = 1;
  }
  if (batch > 0 && size % batch !== 0) throw new Error(`rateEncode: ${size} values do not split into ${batch} rows`);
  return out;
}

/**
 * The Rng for the rate coding of one training epoch: derived from the run's seed and the epoch
 * number alone (a stream separate from initialisation and shuffling), so a run resumed from an
 * epoch checkpoint draws exactly the spikes the uninterrupted run drew, with no extra state.
 */
export function epochSpikeRng(seed: number, epoch: number): Rng {
  const key = Rng.fromSeed(seed ^ 0x2545f491).nextUint32();
  return Rng.fromSeed((key ^ Math.imul(epoch, 0x9e3779b1)) >>> 0);
}

/** The Rng of one evaluation pass: fixed, so test metrics of a rate-coded model are deterministic. */
export function evaluationSpikeRng(): Rng {
  return Rng.fromSeed(DEFAULT_RATE_SEED);
}
