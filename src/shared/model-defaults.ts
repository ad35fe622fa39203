/**
 * Defaults the paper leaves open for a spatial model (README, "Choices the paper leaves open"):
 * pure data and functions, used by the config schema (./schema/run-config.ts), the engine's
 * presets and the New run form.
 */
import type { ZMode } from './schema/enums';

export const SPATIAL_DEFAULTS = {
  dim: 3,
  zMode: 'learned-gap' as ZMode,
  inhibitionSteepness: 5,
  initInhibition: 0.2,
  hiddenActivation: 'relu' as const,
};

/** Softening epsilon used when a spec does not set one: relaxed layers may interleave, so they need a guard. */
export function defaultDistanceEpsilon(zMode: ZMode): number {
  return zMode === 'relaxed' ? 0.05 : 0;
}

/**
 * Default side of the square the positions start in: 0.4 * sqrt(widest hidden layer), so the
 * hidden neurons start at about the same density whatever their number (784-128-10: 4.5,
 * 784-2048-10: 18.1). Chosen by a one-epoch sweep on MNIST (see README); too small a spread makes
 * every hidden unit see nearly the same weighted sum, and wide layers then die together.
 */
export function defaultInitSpread(layers: readonly number[]): number {
  const hidden = layers.slice(1, -1);
  const widest = hidden.length ? Math.max(...hidden) : layers[layers.length - 1];
  return Math.round(4 * Math.sqrt(widest)) / 10;
}

/** Default p of the power kernel and lambda / sigma of the exponential / gaussian ones. */
export const DISTANCE_DEFAULTS = { power: 2, scale: 1 };

/** Bounds that keep a config sane (and a typo from allocating gigabytes). */
export const LIMITS = { maxNeurons: 100_000, minDim: 2, maxDim: 64, maxEpochs: 1_000_000, maxBatch: 1_000_000 };
