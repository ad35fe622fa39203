/**
 * Argument parsing shared by every subcommand: node:util parseArgs (strict) plus typed value readers.
 * Problems with the command line raise UsageError (exit status 2, usage shown).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type * as v from 'valibot';
import { LabValidationError } from '../../shared/schema/errors';
import { parseOrThrow } from '../../shared/schema/fields';
import { didYouMean } from './suggest';

/** A bad command line: unknown flag, missing or malformed value. Exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Check what the flags built with the API's own schema (src/shared/schema): a problem is a usage
 * error naming the flag that set the field (`flagOf` maps a top-level field to its flag).
 */
export function checkWithSchema<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  flagOf: Record<string, string>,
): v.InferOutput<S> {
  try {
    return parseOrThrow(schema, value, '', 'flags');
  } catch (err) {
    if (!(err instanceof LabValidationError)) throw err;
    const flag = flagOf[err.field.split(/[.[]/)[0]];
    throw new UsageError(flag ? `invalid ${flag}: ${err.message}` : err.message);
  }
}

/** The flags every command understands. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

/**
 * Parse `argv` strictly against `options`. A value that starts with a dash and looks like a number
 * (`--epochs -1`) is taken as the value, so the range check can name the flag.
 * @throws UsageError for unknown flags, missing values or unexpected positionals
 */
export function parseCommand(argv: string[], options: OptionSpec, allowPositionals = false): Parsed {
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      options: { ...options, ...HELP_OPTION },
      strict: true,
      allowPositionals,
    });
    return parsed;
  } catch (err) {
    throw new UsageError(parseProblem(err as Error & { code?: string }, argv, options));
  }
}

/** One line of our own words for node:util's parser errors (never its "To specify a positional ..." advice). */
function parseProblem(err: Error & { code?: string }, argv: string[], options: OptionSpec): string {
  const quoted = /'(-[^']*)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) {
    const name = quoted.replace(/^-+/, '').split('=')[0];
    const names = Object.keys({ ...options, ...HELP_OPTION });
    return `unknown option '${quoted.split('=')[0]}'${didYouMean(name, names, (n) => `--${n}`)}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(err.message)?.[1] ?? argv.find((a) => !a.startsWith('-')) ?? '';
    return `unexpected argument '${arg}'`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--?[\w-]+)/.exec(err.message)?.[1];
    if (flag && /argument missing|is ambiguous/.test(err.message)) return `${flag} needs a value`;
    if (flag && /does not take an argument/.test(err.message)) return `${flag} takes no value`;
  }
  return err.message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
}

/** `--flag -3` becomes `--flag=-3` for string options, so negative numbers reach validation. */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** A string flag (undefined when absent). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean flag (false when absent). */
export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A repeatable string flag. */
export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** Parse a number; range checks are left to the caller or the config validator. */
export function num(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`invalid --${flag}: expected a number, got '${raw}'`);
  return v;
}

/** Parse an integer with an optional minimum. */
export function int(flag: string, raw: string | undefined, min?: number): number | undefined {
  const v = num(flag, raw);
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v)) throw new UsageError(`invalid --${flag}: expected an integer, got '${raw}'`);
  if (min !== undefined && v < min) throw new UsageError(`invalid --${flag}: must be at least ${min}, got ${v}`);
  return v;
}

/** Parse a comma-separated list of integers (e.g. --layers 784,128,10). */
export function intList(flag: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((s) => !/^[+-]?\d+$/.test(s))) {
    throw new UsageError(`invalid --${flag}: expected comma-separated integers like 784,128,10, got '${raw}'`);
  }
  return parts.map(Number);
}

/** Parse a comma-separated list of numbers (e.g. --rates 0.2,0.8,0.95). */
export function numList(flag: string, raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((part) => {
    const v = num(flag, part);
    if (v === undefined) throw new UsageError(`invalid --${flag}: expected comma-separated numbers, got '${raw}'`);
    return v;
  });
}

/** A value that must be one of `choices`. */
export function choice<T extends string>(flag: string, raw: string | undefined, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!choices.includes(raw as T)) {
    throw new UsageError(`invalid --${flag}: expected one of ${choices.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

/** Exactly `names.length` positionals (the last may be variadic when `rest` is set). */
export function positionals(p: Parsed, names: string[], rest = false): string[] {
  const got = p.positionals;
  if (got.length < names.length) throw new UsageError(`missing ${names.slice(got.length).join(' and ')}`);
  if (!rest && got.length > names.length) throw new UsageError(`unexpected argument '${got[names.length]}'`);
  return got;
}
