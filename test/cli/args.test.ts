/** The CLI's argument readers (src/core/cli/args.ts): strict parsing, typed values, messages naming the flag. */
import { describe, expect, it } from 'vitest';
import {
  bool,
  choice,
  int,
  intList,
  list,
  num,
  numList,
  parseCommand,
  positionals,
  str,
  UsageError,
} from '../../src/core/cli/args';

const OPTIONS = {
  epochs: { type: 'string' },
  json: { type: 'boolean' },
  tag: { type: 'string', multiple: true },
} as const;

describe('parseCommand', () => {
  it('reads strings, booleans, repeated flags and -h', () => {
    const p = parseCommand(['--epochs', '3', '--json', '--tag', 'a', '--tag', 'b', '-h'], OPTIONS);
    expect(str(p, 'epochs')).toBe('3');
    expect(bool(p, 'json')).toBe(true);
    expect(bool(p, 'missing')).toBe(false);
    expect(list(p, 'tag')).toEqual(['a', 'b']);
    expect(list(p, 'epochs')).toEqual(['3']);
    expect(list(p, 'missing')).toEqual([]);
    expect(bool(p, 'help')).toBe(true);
  });

  it('takes a negative number as the value of a string flag, so the range check can name it', () => {
    expect(str(parseCommand(['--epochs', '-1'], OPTIONS), 'epochs')).toBe('-1');
    expect(str(parseCommand(['--epochs', '-.5'], OPTIONS), 'epochs')).toBe('-.5');
  });

  it.each([
    [['--epoch', '3'], /unknown option '--epoch' \(did you mean --epochs\?\)/],
    [['--epochs'], /--epochs/],
    [['stray'], /stray/],
  ])('refuses %j with a one-line UsageError', (argv, message) => {
    let err: unknown;
    try {
      parseCommand(argv, OPTIONS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('allows positionals only when asked, and checks their count', () => {
    const p = parseCommand(['run1', 'run2'], OPTIONS, true);
    expect(positionals(p, ['ID'], true)).toEqual(['run1', 'run2']);
    expect(() => positionals(p, ['ID'])).toThrow("unexpected argument 'run2'");
    expect(() => positionals(parseCommand([], OPTIONS, true), ['ID', 'NAME'])).toThrow('missing ID and NAME');
  });
});

describe('value readers', () => {
  it('num and int name the flag and the bad value', () => {
    expect(num('lr', undefined)).toBeUndefined();
    expect(num('lr', '0.5')).toBe(0.5);
    expect(() => num('lr', 'fast')).toThrow("invalid --lr: expected a number, got 'fast'");
    expect(() => num('lr', ' ')).toThrow(UsageError);
    expect(int('epochs', '3', 1)).toBe(3);
    expect(() => int('epochs', '2.5')).toThrow("invalid --epochs: expected an integer, got '2.5'");
    expect(() => int('epochs', '0', 1)).toThrow('invalid --epochs: must be at least 1, got 0');
  });

  it('intList and numList split on commas', () => {
    expect(intList('layers', '784, 128,10')).toEqual([784, 128, 10]);
    expect(intList('layers', undefined)).toBeUndefined();
    expect(() => intList('layers', '784,1e2')).toThrow(/comma-separated integers like 784,128,10, got '784,1e2'/);
    expect(numList('rates', '0.2,0.8')).toEqual([0.2, 0.8]);
    expect(() => numList('rates', '0.2,x')).toThrow("invalid --rates: expected a number, got 'x'");
  });

  it('choice lists the allowed values', () => {
    expect(choice('format', 'csv', ['json', 'csv'] as const)).toBe('csv');
    expect(choice('format', undefined, ['json', 'csv'] as const)).toBeUndefined();
    expect(() => choice('format', 'xml', ['json', 'csv'] as const)).toThrow(
      "invalid --format: expected one of json, csv, got 'xml'",
    );
  });
});
