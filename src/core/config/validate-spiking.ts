/**
 * Validation of `model.spiking` (either model kind), by the schema of src/shared/schema/run-config.ts.
 * Every field is optional and gets the default of SPIKING_DEFAULTS: T 25, beta 0.95, threshold 1, fixed beta and
 * threshold, subtractive reset, ATan surrogate (slope 2; fast sigmoid: 25), direct coding,
 * summed-membrane decoding. `true` means all defaults; absent, `null` or `false` means not spiking.
 */
import type { SpikingSpec } from '../../shared/model-spec';
import { parseOrThrow } from '../../shared/schema/fields';
import { defaultSurrogateSlope, SpikingSchema } from '../../shared/schema/run-config';

type Obj = Record<string, unknown>;

export { MAX_TIME_STEPS } from '../../shared/schema/run-config';
export { DECODINGS, ENCODINGS, RESETS, SURROGATES } from '../../shared/schema/enums';

/**
 * Check an untrusted `model.spiking` value; undefined when the model does not spike.
 * @throws ConfigError naming the field (e.g. "model.spiking.timeSteps")
 */
export function validateSpiking(raw: unknown, path = 'model.spiking'): SpikingSpec | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  return parseOrThrow(SpikingSchema, raw, path);
}

/**
 * Merge a partial `model.spiking` over a base one (config file or flags over a preset). Switching
 * the surrogate without an explicit slope drops a slope that was the old surrogate's default.
 */
export function mergeSpiking(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isObj(over)) return over === true && isObj(base) ? base : over;
  if (!isObj(base)) return over;
  const out: Obj = { ...base, ...over };
  const changed = over.surrogate !== undefined && over.surrogate !== base.surrogate;
  const slopeWasDefault =
    base.surrogateSlope === undefined ||
    base.surrogateSlope === defaultSurrogateSlope(base.surrogate === 'fast-sigmoid' ? 'fast-sigmoid' : 'atan');
  if (changed && over.surrogateSlope === undefined && slopeWasDefault) delete out.surrogateSlope;
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
