/**
 * Positional argument lists of the LabApi methods, checked against one schema per argument. Each
 * argument's problems are named `arg0`, `arg1.rates[2]`, ... (the path travels as the error's
 * `field`). A run config passed whole is checked with its own paths (`training.epochs`, no `arg0`),
 * so the New run form maps the error straight back to its field.
 */
import type * as v from 'valibot';
import { LabValidationError } from './errors';
import { parseOrThrow } from './fields';
import { parseRunConfig } from './run-config';

/** One argument: a schema, or a check that reports its own paths (the run config). */
export type ArgSpec = v.GenericSchema | ((value: unknown) => unknown);

type ArgOutput<S> = S extends v.GenericSchema ? v.InferOutput<S> : S extends (value: unknown) => infer R ? R : never;

/** The run config argument: checked and normalised by the config schema, paths without `argN`. */
export const runConfigArg = (value: unknown) => parseRunConfig(value);

/**
 * A validator of a raw argument list: at most one value per spec (trailing optional ones may be
 * left out, as the HTTP client drops a trailing `undefined`), each parsed by its spec.
 */
export function args<const S extends readonly ArgSpec[]>(
  ...specs: S
): (raw: readonly unknown[]) => { -readonly [K in keyof S]: ArgOutput<S[K]> } {
  return (raw) => {
    if (!Array.isArray(raw) || raw.length > specs.length) {
      const got = Array.isArray(raw) ? raw.length : 'none';
      throw new LabValidationError(`expected at most ${specs.length} argument(s), got ${got}`);
    }
    return specs.map((spec, i) =>
      typeof spec === 'function' ? spec(raw[i]) : parseOrThrow(spec, raw[i], `arg${i}`),
    ) as { -readonly [K in keyof S]: ArgOutput<S[K]> };
  };
}

/** The validator of methods that take no arguments. */
export const noArgs = args();
