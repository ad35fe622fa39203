import { describe, expect, it } from 'vitest';
import { planSweep } from '../../src/core/sweep/spec';
import type { SweepExecutorOptions, SweepSpec } from '../../src/shared/sweep';

// The renderer's lib files belong to tsconfig.web.json's program (see run-form.test.ts): loaded at run time.
type Form = Record<string, unknown> & { random: unknown[] };
const LIB = '../../src/renderer/src/lib';
const lib = (await import(/* @vite-ignore */ `${LIB}/sweep-form`)) as {
  defaultSweepForm(): Form;
  parseList(text: string): unknown[];
  parseSweepForm(f: Form): { spec?: SweepSpec; options?: SweepExecutorOptions; errors: Record<string, string> };
};
const { defaultSweepForm, parseList, parseSweepForm } = lib;

describe('the Sweeps form', () => {
  it('turns the default form into a spec the planner accepts (grid x seeds)', () => {
    const { spec, options, errors } = parseSweepForm(defaultSweepForm());
    expect(errors).toEqual({});
    expect(options).toEqual({ executor: 'local' });
    expect(spec).toMatchObject({
      set: { 'training.epochs': 1, 'dataset.trainSize': 2000 },
      grid: { 'training.learningRate': [0.005, 0.01] },
      seeds: [1, 2],
    });
    expect(planSweep(spec!).trainings).toHaveLength(4);
  });

  it('reads lists with nested arrays, random rows and Slurm options', () => {
    expect(parseList('[784,64,10], [784,128,10]')).toEqual([
      [784, 64, 10],
      [784, 128, 10],
    ]);
    expect(parseList('relaxed, "fixed-gap"')).toEqual(['relaxed', 'fixed-gap']);
    const f = {
      ...defaultSweepForm(),
      executor: 'slurm' as const,
      partition: 'gpu',
      gres: 'gpu:1',
      cpusPerTask: '2',
      extraArgs: '--qos=short\n',
      maxParallel: '8',
    };
    f.random = [{ path: 'model.initSpread', dist: 'loguniform', min: '1', max: '10', values: '' }];
    const { spec, options, errors } = parseSweepForm(f);
    expect(errors).toEqual({});
    expect(spec?.random).toEqual({ 'model.initSpread': { dist: 'loguniform', min: 1, max: 10 } });
    expect(options).toEqual({
      executor: 'slurm',
      maxParallel: 8,
      slurm: { partition: 'gpu', gres: 'gpu:1', cpusPerTask: 2, extraArgs: ['--qos=short'] },
    });
  });

  it('names the form field at fault', () => {
    const f = { ...defaultSweepForm(), set: 'training.epochs 3', seeds: '1, x', maxParallel: '0' };
    const { spec, errors } = parseSweepForm(f);
    expect(spec).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['maxParallel', 'seeds', 'set']);
  });
});
