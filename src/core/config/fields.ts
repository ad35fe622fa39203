/**
 * Small typed readers for validating untrusted JSON-like objects field by field, for the study
 * spec (src/core/study/spec.ts) until it moves onto the schema of src/shared/schema. Every failure
 * throws the one LabValidationError (ConfigError) whose message starts with the dotted field path,
 * worded like the schema's (the same `show` and `describeNumber`).
 */
import { describeNumber, show, type NumberRule } from '../../shared/schema/fields';
import { ConfigError } from './errors';

export { show };

export type Obj = Record<string, unknown>;

function fail(path: string, what: string, got: unknown): never {
  throw new ConfigError(`${path} must be ${what}, got ${show(got)}`, { field: path });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The value as a plain object, or an error naming `path`. */
export function asObject(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path || 'config', 'an object', v);
  return v as Obj;
}

/** Reject keys outside `allowed` (catches typos such as "epoch" for "epochs"). */
export function checkKeys(o: Obj, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${join(path, key)}: unknown field (allowed: ${allowed.join(', ')})`, {
        field: join(path, key),
      });
    }
  }
}

/** Check one number against a rule; `path` names it in the error. */
export function checkNumber(v: unknown, path: string, rule: NumberRule): number {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isSafeInteger(v)) &&
    (rule.min === undefined || v >= rule.min) &&
    (rule.above === undefined || v > rule.above) &&
    (rule.max === undefined || v <= rule.max);
  if (!ok) fail(path, describeNumber(rule), v);
  return v;
}

/** A required (or defaulted) number field. */
export function numberField(o: Obj, key: string, path: string, rule: NumberRule, fallback?: number): number {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined) throw new ConfigError(`${join(path, key)} is required`, { field: join(path, key) });
  return checkNumber(v, join(path, key), rule);
}

/** An optional number field: undefined stays undefined. */
export function optionalNumber(o: Obj, key: string, path: string, rule: NumberRule): number | undefined {
  return o[key] === undefined ? undefined : checkNumber(o[key], join(path, key), rule);
}

/** A field that must be one of `values`. */
export function enumField<T extends string>(o: Obj, key: string, path: string, values: readonly T[], fallback?: T): T {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !values.includes(v as T)) {
    fail(join(path, key), `one of ${values.map((x) => `'${x}'`).join(', ')}`, v);
  }
  return v as T;
}

/** A string field; `required` makes an absent or empty value an error. */
export function stringField(o: Obj, key: string, path: string, required: boolean, maxLength = 500): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && v.trim() === '') || v.length > maxLength) {
    fail(join(path, key), required ? `a non-empty string (at most ${maxLength} characters)` : 'a string', v);
  }
  return v;
}
