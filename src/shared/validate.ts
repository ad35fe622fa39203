/**
 * Tiny, dependency-free argument validators for anything that crosses a trust boundary
 * (IPC from the renderer today, HTTP in browser mode later). Pure code: no Node or DOM.
 *
 * A `Check<T>` turns an `unknown` into a `T` or throws a `LabValidationError` naming the path
 * (the one error class of ./schema/errors.ts; `field` holds the path).
 */

import { LabValidationError } from './schema/errors';

export { LabValidationError };

export type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, expected: string, value: unknown): never {
  const got =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : typeof value === 'string'
          ? `string of ${value.length} chars`
          : typeof value;
  throw new LabValidationError(`${path}: expected ${expected}, got ${got}`, { field: path });
}

export const string =
  (maxLength = 10_000): Check<string> =>
  (v, path) =>
    typeof v === 'string' && v.length <= maxLength ? v : fail(path, `string (max ${maxLength} chars)`, v);

export const integer =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> =>
  (v, path) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max
      ? (v as number)
      : fail(path, `integer in [${min}, ${max}]`, v);

export const finite: Check<number> = (v, path) =>
  typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'finite number', v);

export const boolean: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'boolean', v));

export const oneOf =
  <const T extends readonly (string | number)[]>(...allowed: T): Check<T[number]> =>
  (v, path) =>
    allowed.includes(v as T[number]) ? (v as T[number]) : fail(path, `one of ${allowed.join(', ')}`, v);

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

/** Validates a positional argument list: exact arity (trailing optionals may be omitted) and each element. */
export function args<T extends unknown[]>(...checks: { [K in keyof T]: Check<T[K]> }): (raw: readonly unknown[]) => T {
  return (raw) => {
    if (!Array.isArray(raw) || raw.length > checks.length) {
      throw new LabValidationError(
        `expected at most ${checks.length} argument(s), got ${Array.isArray(raw) ? raw.length : 'none'}`,
      );
    }
    return checks.map((check, i) => check(raw[i], `arg${i}`)) as T;
  };
}

/** The validator for methods that take no arguments. */
export const noArgs = args<[]>();

/** An array of at most `maxItems` elements, each checked (element paths read `arg1[3]`). */
export const arrayOf =
  <T>(check: Check<T>, maxItems = 1000): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) fail(path, `array (max ${maxItems} items)`, v);
    if (v.length > maxItems)
      throw new LabValidationError(`${path}: expected at most ${maxItems} items, got ${v.length}`, { field: path });
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };

/**
 * A plain object with the listed keys, each checked (optional ones via `optional`). Unknown keys
 * are refused rather than dropped, so a typo in a filter or option fails loudly instead of being
 * ignored; keys whose value checks to `undefined` are left out of the result.
 */
export const object =
  <T extends object>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> =>
  (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'object', v);
    const allowed = Object.keys(shape);
    for (const key of Object.keys(v)) {
      if (!allowed.includes(key)) {
        throw new LabValidationError(`${path}.${key}: unknown field (allowed: ${allowed.join(', ')})`, {
          field: `${path}.${key}`,
        });
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of allowed) {
      const value = (shape as Record<string, Check<unknown>>)[key](
        (v as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
