/**
 * Field builders on valibot whose messages read like the lab's own: every message is the text
 * after the field's dotted path ("training.epochs" + " must be an integer from 1 to 1000000, got 0";
 * "model" + ".zMod: unknown field (allowed: ...)"), and `parseOrThrow` puts the path in front and
 * throws the one LabValidationError. Pure code (the renderer uses it too).
 */
import * as v from 'valibot';
import { LabValidationError } from './errors';

/** Render a received value for an error message (short, JSON-ish). */
export function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  let s: string;
  try {
    s = (JSON.stringify(x) as string | undefined) ?? `a ${typeof x}`; // undefined for a function or symbol
  } catch {
    s = Array.isArray(x) ? 'a (too deeply nested) array' : typeof x; // e.g. 200,000 nested arrays overflow the stack
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export interface NumberRule {
  integer?: boolean;
  /** inclusive lower bound */
  min?: number;
  /** exclusive lower bound */
  above?: number;
  /** inclusive upper bound */
  max?: number;
  /** exclusive upper bound */
  below?: number;
}

/** "an integer from 1 to 64", "a number > 0", "a positive integer", ... */
export function describeNumber(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.integer && rule.min === 1 && rule.max === undefined && rule.below === undefined) return 'a positive integer';
  const parts: string[] = [];
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** Whether `x` is a finite number obeying `rule`. */
export function numberOk(x: unknown, rule: NumberRule): x is number {
  return (
    typeof x === 'number' &&
    Number.isFinite(x) &&
    (!rule.integer || Number.isSafeInteger(x)) &&
    (rule.min === undefined || x >= rule.min) &&
    (rule.above === undefined || x > rule.above) &&
    (rule.max === undefined || x <= rule.max) &&
    (rule.below === undefined || x < rule.below)
  );
}

/** The message of a value that is not `what` (the text after the field's path). */
export const must = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? ' is required' : ` must be ${what}, got ${show(issue.input)}`;

/** A number obeying `rule`; `what` words it for the message when the bounds alone say too little. */
export const num = (rule: NumberRule = {}, what = describeNumber(rule)) =>
  v.custom<number>((x) => numberOk(x, rule), must(what));

/** An integer in [min, max]. */
export const int = (min?: number, max?: number) => num({ integer: true, min, max });

/** One of `values` (message lists them quoted). */
export const oneOf = <const T extends readonly string[]>(values: T) =>
  v.custom<T[number]>((x) => values.includes(x as string), must(`one of ${values.map((s) => `'${s}'`).join(', ')}`));

export const bool = () => v.custom<boolean>((x) => typeof x === 'boolean', must('true or false'));

/** A string of at most `maxLength` characters; `required` refuses empty (or blank) ones too. */
export const text = (maxLength: number, required = false) =>
  v.custom<string>(
    (x) => typeof x === 'string' && x.length <= maxLength && (!required || x.trim() !== ''),
    must(
      required ? `a non-empty string (at most ${maxLength} characters)` : `a string (at most ${maxLength} characters)`,
    ),
  );

/** A list of `item`s, `minItems` to `maxItems` long (`what` names it in the message). */
export const list = <T extends v.GenericSchema>(item: T, what: string, minItems = 0, maxItems = 1000) =>
  v.pipe(
    v.custom<unknown[]>((x) => Array.isArray(x) && x.length >= minItems && x.length <= maxItems, must(what)),
    v.array(item),
  );

/**
 * A plain object with exactly these keys (a typo such as "epoch" for "epochs" fails loudly instead
 * of being ignored); optional keys are `v.optional(...)` in the shape.
 */
export const record = <const S extends v.ObjectEntries>(shape: S) => {
  const allowed = Object.keys(shape).join(', ');
  return v.strictObject(shape, (issue) => {
    if (issue.expected === 'never') return `: unknown field (allowed: ${allowed})`;
    if (issue.input === undefined) return ' is required';
    return ` must be an object, got ${show(issue.input)}`;
  });
};

/** `model.layers[0]` from a valibot issue path; a key that is no name reads `grid["training.epochs"]`. */
export function issuePath(issue: v.BaseIssue<unknown>, root = ''): string {
  let path = root;
  for (const item of issue.path ?? []) {
    const key = item.key as string | number;
    if (typeof key === 'number') path = `${path}[${key}]`;
    else if (!/^[A-Za-z_$][\w$]*$/.test(key)) path = `${path}[${JSON.stringify(key)}]`;
    else path = path ? `${path}.${key}` : key;
  }
  return path;
}

/** One problem of a parse: the dotted path and the text after it (" must be ..."). */
export interface FieldProblem {
  field: string;
  text: string;
}

/**
 * A valibot issue as a FieldProblem. A union (`null` or a spec) reports its options' issues: the
 * one that got furthest explains best, and its path is relative to the union's.
 */
export function explainIssue(top: v.BaseIssue<unknown>, root = ''): FieldProblem {
  let issue = top;
  let field = issuePath(issue, root);
  while (issue.issues?.length) {
    const inner = issue.issues.reduce((a, b) => ((b.path?.length ?? 0) >= (a.path?.length ?? 0) ? b : a));
    if (inner.path?.length) field = issuePath(inner, field);
    issue = inner;
  }
  return { field, text: /^[ :]/.test(issue.message) ? issue.message : `: ${issue.message}` };
}

/** Every problem of `input` against `schema` (none: it parses), for a form that shows them all. */
export function problemsOf(schema: v.GenericSchema, input: unknown): FieldProblem[] {
  const result = v.safeParse(schema, input);
  return result.success ? [] : result.issues.map((issue) => explainIssue(issue));
}

/**
 * Parse `input` with `schema` or throw a LabValidationError naming the first offending field
 * (`root` prefixes the path: 'arg1', 'pruning'; `label` names the whole input when the path is empty).
 */
export function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  root = '',
  label = 'value',
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const { field, text } = explainIssue(result.issues[0], root);
  throw new LabValidationError(`${field || label}${text}`, { field });
}
