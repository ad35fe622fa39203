import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/shared/model-spec';
import { buildRunConfig } from '../../src/core/config/build-config';
import { ConfigError } from '../../src/core/config/errors';
import { validateRunConfig } from '../../src/core/config/validate';
import { validateSpiking } from '../../src/core/config/validate-spiking';
import { initialParams } from '../../src/core/model/init';
import { initialParamNames } from '../../src/core/model/network';
import { countParams } from '../../src/core/model/param-count';
import { denseSpec, presetConfig, spatialSpec } from '../../src/core/model/presets';
import { SPIKING_DEFAULTS, spikingSpec } from '../../src/core/snn/spec';
import { Rng } from '../../src/core/util/rng';

describe('spiking presets', () => {
  const cases: [string, number][] = [
    ['paper-snn-3d', 10_576],
    ['paper-snn-fixed-gap', 10_574],
    ['snn-baseline-14', 11_140],
    ['snn-baseline-2048', 1_628_170],
    ['snn-quick', 2_896],
  ];
  it.each(cases)('%s has the paper count (%i): fixed beta and threshold add no parameters', (name, expected) => {
    const config = presetConfig(name);
    expect(config.model.spiking).toBeDefined();
    expect(countParams(config.model)).toBe(expected);
    expect(initialParams(config.model, Rng.fromSeed(1)).reduce((s, a) => s + a.data.length, 0)).toBe(expected);
  });

  it("the paper's setup: 200 epochs, batch 600, lr 0.005 spatial / 0.001 dense, threshold 1, beta 0.95", () => {
    for (const name of ['paper-snn-3d', 'paper-snn-fixed-gap', 'snn-baseline-14', 'snn-baseline-2048']) {
      const c = presetConfig(name);
      expect(c.training).toMatchObject({
        epochs: 200,
        batchSize: 600,
        learningRate: c.model.kind === 'spatial' ? 0.005 : 0.001,
      });
      expect(c.model.spiking).toEqual(SPIKING_DEFAULTS);
      expect(c.model.layers).toEqual([784, name === 'snn-baseline-14' ? 14 : 2048, 10]);
      expect(validateRunConfig(c)).toEqual(c); // presets are valid and already normalised
    }
    expect(presetConfig('paper-snn-3d').model).toMatchObject({ kind: 'spatial', zMode: 'learned-gap' });
    expect(presetConfig('paper-snn-fixed-gap').model).toMatchObject({ kind: 'spatial', zMode: 'fixed-gap' });
  });

  it('learned beta / threshold add one scalar per spiking layer, named last', () => {
    const spec: ModelSpec = spatialSpec([784, 64, 32, 10], {
      spiking: spikingSpec({ learnBeta: true, learnThreshold: true, beta: 0.9, threshold: 0.7 }),
    });
    const plain = spatialSpec([784, 64, 32, 10]);
    expect(countParams(spec)).toBe(countParams(plain) + 6);
    const names = initialParamNames(spec);
    expect(names.slice(-6)).toEqual(['beta.1', 'threshold.1', 'beta.2', 'threshold.2', 'beta.3', 'threshold.3']);
    const arrays = initialParams(spec, Rng.fromSeed(1));
    expect(arrays.map((a) => a.name)).toEqual(names);
    expect(arrays.find((a) => a.name === 'beta.2')).toMatchObject({ shape: [1], data: Float32Array.of(0.9) });
    expect(arrays.find((a) => a.name === 'threshold.3')).toMatchObject({ shape: [1], data: Float32Array.of(0.7) });
    const dense = denseSpec([784, 14, 10], spikingSpec({ learnBeta: true }));
    expect(countParams(dense)).toBe(11_140 + 2);
    expect(initialParamNames(dense)).toEqual(['weight.0', 'bias.1', 'weight.1', 'bias.2', 'beta.1', 'beta.2']);
  });
});

describe('model.spiking validation', () => {
  it('fills every default and keeps given values', () => {
    expect(validateSpiking({})).toEqual(SPIKING_DEFAULTS);
    expect(validateSpiking(true)).toEqual(SPIKING_DEFAULTS);
    expect(SPIKING_DEFAULTS).toEqual({
      timeSteps: 25,
      beta: 0.95,
      threshold: 1,
      learnBeta: false,
      learnThreshold: false,
      reset: 'subtract',
      surrogate: 'atan',
      surrogateSlope: 2,
      encoding: 'direct',
      decoding: 'membrane-sum',
    });
    expect(validateSpiking({ surrogate: 'fast-sigmoid' })?.surrogateSlope).toBe(25);
    expect(validateSpiking({ surrogate: 'fast-sigmoid', surrogateSlope: 10 })?.surrogateSlope).toBe(10);
    expect(
      validateSpiking({ timeSteps: 7, reset: 'zero', encoding: 'rate', decoding: 'spike-count', learnBeta: true }),
    ).toMatchObject({
      timeSteps: 7,
      reset: 'zero',
      encoding: 'rate',
      decoding: 'spike-count',
      learnBeta: true,
    });
    for (const off of [undefined, null, false]) expect(validateSpiking(off)).toBeUndefined();
  });

  it.each([
    [{ timeSteps: 0 }, 'model.spiking.timeSteps must be an integer from 1 to 1000, got 0'],
    [{ timeSteps: 2.5 }, 'model.spiking.timeSteps'],
    [{ beta: 1.5 }, 'model.spiking.beta must be a number from 0 to 1, got 1.5'],
    [{ threshold: 0 }, 'model.spiking.threshold must be a number > 0, got 0'],
    [{ learnBeta: 'yes' }, 'model.spiking.learnBeta must be true or false, got "yes"'],
    [{ reset: 'soft' }, "model.spiking.reset must be one of 'subtract', 'zero', got \"soft\""],
    [{ surrogate: 'sigmoid' }, 'model.spiking.surrogate must be one of'],
    [{ surrogateSlope: -1 }, 'model.spiking.surrogateSlope must be a number > 0'],
    [{ encoding: 'latency' }, 'model.spiking.encoding must be one of'],
    [{ decoding: 'max' }, 'model.spiking.decoding must be one of'],
    [{ steps: 5 }, 'model.spiking.steps: unknown field'],
    [5, 'model.spiking must be an object'],
  ])('%j is rejected naming the field', (raw, message) => {
    let err: unknown;
    try {
      validateSpiking(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(message);
    expect((err as ConfigError).field).toMatch(/^model\.spiking/);
  });

  it('both model kinds accept model.spiking inside a full config', () => {
    const c = presetConfig('quick');
    c.model = { ...c.model, spiking: { timeSteps: 3 } } as never;
    expect(validateRunConfig(c).model.spiking).toEqual({ ...SPIKING_DEFAULTS, timeSteps: 3 });
    const d = presetConfig('baseline-14');
    (d.model as unknown as Record<string, unknown>).spiking = null;
    expect(validateRunConfig(d).model).not.toHaveProperty('spiking');
  });
});

describe('spiking overrides (command-line flags) and config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sen-snn-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--spiking turns a preset spiking with the defaults; any spiking flag implies it', () => {
    expect(buildRunConfig({ preset: 'quick', overrides: { spiking: true } }).model.spiking).toEqual(SPIKING_DEFAULTS);
    expect(buildRunConfig({ preset: 'quick', overrides: { timeSteps: 12 } }).model.spiking).toEqual({
      ...SPIKING_DEFAULTS,
      timeSteps: 12,
    });
    expect(buildRunConfig({ preset: 'quick' }).model.spiking).toBeUndefined();
  });

  it('flags change single fields of a spiking preset and keep the rest', () => {
    const m = buildRunConfig({
      preset: 'snn-quick',
      overrides: { spiking: true, beta: 0.9, encoding: 'rate', learnThreshold: true },
    }).model;
    expect(m.spiking).toEqual({
      ...SPIKING_DEFAULTS,
      timeSteps: 10,
      beta: 0.9,
      encoding: 'rate',
      learnThreshold: true,
    });
    // switching the surrogate re-derives a default slope, but keeps an explicit one
    expect(
      buildRunConfig({ preset: 'snn-quick', overrides: { surrogate: 'fast-sigmoid' } }).model.spiking?.surrogateSlope,
    ).toBe(25);
    expect(
      buildRunConfig({ preset: 'snn-quick', overrides: { surrogate: 'fast-sigmoid', surrogateSlope: 5 } }).model.spiking
        ?.surrogateSlope,
    ).toBe(5);
  });

  it('switching the model kind keeps the spiking settings', () => {
    const m = buildRunConfig({ preset: 'snn-quick', overrides: { model: 'dense' } }).model;
    expect(m).toMatchObject({ kind: 'dense', layers: [784, 128, 10] });
    expect(m.spiking?.timeSteps).toBe(10);
  });

  it('a bad value is blamed on its flag', () => {
    expect(() => buildRunConfig({ preset: 'snn-quick', overrides: { spiking: true, timeSteps: 0 } })).toThrow(
      /^invalid --time-steps: model\.spiking\.timeSteps must be an integer from 1 to 1000, got 0$/,
    );
    expect(() => buildRunConfig({ preset: 'quick', overrides: { reset: 'soft' } })).toThrow(
      /^invalid --reset: model\.spiking\.reset/,
    );
  });

  it('a config file can set, change or remove model.spiking', () => {
    const file = (name: string, value: unknown): string => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(value));
      return path;
    };
    const partial = buildRunConfig({
      configFile: file('a.json', { preset: 'snn-quick', model: { spiking: { decoding: 'spike-count' } } }),
    });
    expect(partial.model.spiking).toMatchObject({ timeSteps: 10, decoding: 'spike-count' });
    const off = buildRunConfig({ configFile: file('b.json', { preset: 'snn-quick', model: { spiking: null } }) });
    expect(off.model.spiking).toBeUndefined();
    expect(() =>
      buildRunConfig({ configFile: file('c.json', { preset: 'snn-quick', model: { spiking: { beta: 3 } } }) }),
    ).toThrow(/c\.json: model\.spiking\.beta must be a number from 0 to 1, got 3/);
  });
});
