/**
 * Defaults of the spiking variant, shared by the engine's validator and the New run form (pure data).
 * The paper fixes only threshold 1 and beta 0.95; everything else is our documented choice
 * (src/core/snn/README.md).
 */
import type { SpikingSpec } from './model-spec';

/** Surrogate slope used when a spec does not set one: snnTorch's defaults (atan alpha 2, fast sigmoid k 25). */
export function defaultSurrogateSlope(surrogate: SpikingSpec['surrogate']): number {
  return surrogate === 'fast-sigmoid' ? 25 : 2;
}

/** The defaults every optional `model.spiking` field gets. */
export const SPIKING_DEFAULTS: Readonly<SpikingSpec> = {
  timeSteps: 25,
  beta: 0.95,
  threshold: 1,
  learnBeta: false,
  learnThreshold: false,
  reset: 'subtract',
  surrogate: 'atan',
  surrogateSlope: defaultSurrogateSlope('atan'),
  encoding: 'direct',
  decoding: 'membrane-sum',
};
