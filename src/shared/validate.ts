/**
 * Tiny, dependency-free argument validators for anything that crosses a trust boundary
 * (IPC from the renderer today, HTTP in browser mode later). Pure code: no Node or DOM.
 *
 * A `Check<T>` turns an `unknown` into a `T` or throws a `LabValidationError` naming the path.
 */

export class LabValidationError extends Error {
  override name = 'LabValidationError';
}

export type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, expected: string, value: unknown): never {
  const got =
    value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'string' ? `string of ${value.length} chars` : typeof value;
  throw new LabValidationError(`${path}: expected ${expected}, got ${got}`);
}

export const string =
  (maxLength = 10_000): Check<string> =>
  (v, path) =>
    typeof v === 'string' && v.length <= maxLength ? v : fail(path, `string (max ${maxLength} chars)`, v);

export const integer =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> =>
  (v, path) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(path, `integer in [${min}, ${max}]`, v);

export const finite: Check<number> = (v, path) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'finite number', v));

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
      throw new LabValidationError(`expected at most ${checks.length} argument(s), got ${Array.isArray(raw) ? raw.length : 'none'}`);
    }
    return checks.map((check, i) => check(raw[i], `arg${i}`)) as T;
  };
}

/** The validator for methods that take no arguments. */
export const noArgs = args<[]>();
