/**
 * Defaults and parameter names of the spiking variant (see ./README.md for the semantics).
 * The paper fixes only threshold 1 and beta 0.95; everything else is our documented choice.
 */
import type { ModelSpec, SpikingSpec } from '../../shared/model-spec';
import { defaultSurrogateSlope, SPIKING_DEFAULTS } from '../../shared/spiking-defaults';

export { defaultSurrogateSlope, SPIKING_DEFAULTS };

/** A complete SpikingSpec: the defaults overridden by `over` (the slope follows the surrogate unless given). */
export function spikingSpec(over: Partial<SpikingSpec> = {}): SpikingSpec {
  const surrogate = over.surrogate ?? SPIKING_DEFAULTS.surrogate;
  return { ...SPIKING_DEFAULTS, surrogateSlope: defaultSurrogateSlope(surrogate), ...over, surrogate };
}

/**
 * Names of the optional learned spiking parameters, one scalar (shape [1]) per spiking layer
 * l = 1 … L-1, in creation order: beta.{l} (when learnBeta), then threshold.{l} (when learnThreshold).
 * Empty for non-spiking specs and for the paper's setting (both fixed).
 */
export function spikingParamNames(spec: ModelSpec): string[] {
  const s = spec.spiking;
  if (!s) return [];
  const names: string[] = [];
  for (let l = 1; l < spec.layers.length; l++) {
    if (s.learnBeta) names.push(`beta.${l}`);
    if (s.learnThreshold) names.push(`threshold.${l}`);
  }
  return names;
}

/** Initial value of a learned spiking parameter: the spec's fixed beta or threshold. */
export function spikingParamInit(spec: SpikingSpec, name: string): number {
  return name.startsWith('beta.') ? spec.beta : spec.threshold;
}
