/**
 * Validation of `model.spiking` (either model kind). Every field is optional and gets the default
 * of SPIKING_DEFAULTS (src/core/snn/spec.ts): T 25, beta 0.95, threshold 1, fixed beta and
 * threshold, subtractive reset, ATan surrogate (slope 2; fast sigmoid: 25), direct coding,
 * summed-membrane decoding. `true` means all defaults; absent, `null` or `false` means not spiking.
 */
import type { SpikingSpec } from '../../shared/model-spec';
import { defaultSurrogateSlope, SPIKING_DEFAULTS } from '../snn/spec';
import { ConfigError } from './errors';
import { asObject, checkKeys, enumField, numberField, show, type Obj } from './fields';

export const SPIKING_KEYS: readonly (keyof SpikingSpec)[] = [
  'timeSteps',
  'beta',
  'threshold',
  'learnBeta',
  'learnThreshold',
  'reset',
  'surrogate',
  'surrogateSlope',
  'encoding',
  'decoding',
];
export const RESETS: readonly SpikingSpec['reset'][] = ['subtract', 'zero'];
export const SURROGATES: readonly SpikingSpec['surrogate'][] = ['atan', 'fast-sigmoid'];
export const ENCODINGS: readonly SpikingSpec['encoding'][] = ['direct', 'rate'];
export const DECODINGS: readonly SpikingSpec['decoding'][] = ['membrane-sum', 'spike-count'];
/** more steps than this is almost certainly a typo (memory grows linearly with T) */
export const MAX_TIME_STEPS = 1000;

/**
 * Check an untrusted `model.spiking` value; undefined when the model does not spike.
 * @throws ConfigError naming the field (e.g. "model.spiking.timeSteps")
 */
export function validateSpiking(raw: unknown, path = 'model.spiking'): SpikingSpec | undefined {
  if (raw === undefined || raw === null || raw === false) return undefined;
  const o: Obj = raw === true ? {} : asObject(raw, path);
  checkKeys(o, SPIKING_KEYS, path);
  const d = SPIKING_DEFAULTS;
  const surrogate = enumField(o, 'surrogate', path, SURROGATES, d.surrogate);
  return {
    timeSteps: numberField(o, 'timeSteps', path, { integer: true, min: 1, max: MAX_TIME_STEPS }, d.timeSteps),
    beta: numberField(o, 'beta', path, { min: 0, max: 1 }, d.beta),
    threshold: numberField(o, 'threshold', path, { above: 0 }, d.threshold),
    learnBeta: boolField(o, 'learnBeta', path, d.learnBeta),
    learnThreshold: boolField(o, 'learnThreshold', path, d.learnThreshold),
    reset: enumField(o, 'reset', path, RESETS, d.reset),
    surrogate,
    surrogateSlope: numberField(o, 'surrogateSlope', path, { above: 0 }, defaultSurrogateSlope(surrogate)),
    encoding: enumField(o, 'encoding', path, ENCODINGS, d.encoding),
    decoding: enumField(o, 'decoding', path, DECODINGS, d.decoding),
  };
}

function boolField(o: Obj, key: string, path: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${path}.${key} must be true or false, got ${show(v)}`, { field: `${path}.${key}` });
  return v;
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
  const slopeWasDefault = base.surrogateSlope === undefined || base.surrogateSlope === defaultSurrogateSlope(base.surrogate === 'fast-sigmoid' ? 'fast-sigmoid' : 'atan');
  if (changed && over.surrogateSlope === undefined && slopeWasDefault) delete out.surrogateSlope;
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
