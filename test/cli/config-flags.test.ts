/** The config flag table (src/core/cli/config-flags.ts): options, usage and overrides come from one list. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/core/cli/args';
import {
  CONFIG_OPTIONS,
  MODEL_OPTIONS,
  MODEL_USAGE,
  overridesFromFlags,
  TRAINING_USAGE,
} from '../../src/core/cli/config-flags';
import { OVERRIDE_FIELDS } from '../../src/core/config/build-config';

describe('config flags', () => {
  it('documents every flag it parses, and parses every override', () => {
    const usage = MODEL_USAGE + TRAINING_USAGE;
    for (const flag of Object.keys(CONFIG_OPTIONS)) expect(usage).toContain(`  --${flag}`);
    const flags = Object.values(OVERRIDE_FIELDS).map((o) => o.flag.slice(2));
    expect(Object.keys(CONFIG_OPTIONS).sort()).toEqual([...flags, 'preset', 'config'].sort());
    expect(Object.keys(MODEL_OPTIONS)).not.toContain('epochs');
  });

  it('reads each flag into its override', () => {
    const argv = [
      '--epochs',
      '3',
      '--lr',
      '0.01',
      '--layers',
      '784,16,10',
      '--model',
      'dense',
      '--learn-beta',
      '--time-steps',
      '5',
      '--z-mode',
      'relaxed',
    ];
    const o = overridesFromFlags(parseCommand(argv, CONFIG_OPTIONS));
    expect(o).toMatchObject({
      epochs: 3,
      learningRate: 0.01,
      layers: [784, 16, 10],
      model: 'dense',
      learnBeta: true,
      timeSteps: 5,
      zMode: 'relaxed',
    });
    expect(o.spiking).toBeUndefined();
    expect(() => overridesFromFlags(parseCommand(['--model', 'round'], CONFIG_OPTIONS))).toThrow(
      "invalid --model: expected one of spatial, dense, got 'round'",
    );
    expect(() => overridesFromFlags(parseCommand(['--time-steps', '2.5'], CONFIG_OPTIONS))).toThrow(
      'invalid --time-steps: expected an integer',
    );
  });
});
