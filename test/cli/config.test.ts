import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRunConfig, ConfigError, validateRunConfig } from '../../src/core/config/index';
import { presetConfig } from '../../src/core/model/presets';

const dir = mkdtempSync(join(tmpdir(), 'sen-lab-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('buildRunConfig', () => {
  it("defaults to the 'quick' preset", () => {
    expect(buildRunConfig()).toEqual(validateRunConfig(presetConfig('quick')));
  });

  it('applies flags over the file over the preset', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ preset: 'paper-3d', training: { epochs: 7, seed: 3 }, model: { dim: 5 } }));
    const c = buildRunConfig({ configFile: file, overrides: { seed: 9, batchSize: 50 } });
    expect(c.preset).toBe('paper-3d');
    expect(c.training).toEqual({ epochs: 7, batchSize: 50, learningRate: 0.005, seed: 9 });
    expect(c.model).toMatchObject({ kind: 'spatial', layers: [784, 2048, 10], dim: 5 });
  });

  it('switching to dense drops the spatial fields; switching zMode re-derives epsilon', () => {
    expect(buildRunConfig({ overrides: { model: 'dense' } }).model).toEqual({
      kind: 'dense',
      layers: [784, 128, 10],
      hiddenActivation: 'relu',
    });
    const relaxed = buildRunConfig({ overrides: { zMode: 'relaxed' } }).model;
    expect(relaxed).toMatchObject({ zMode: 'relaxed', distanceEpsilon: 0.05 });
  });

  it('resolves data set folders to absolute paths, keeps built-in names', () => {
    expect(buildRunConfig({ overrides: { dataset: 'data/x' }, cwd: '/tmp' }).dataset.name).toBe('/tmp/data/x');
    expect(buildRunConfig({ overrides: { dataset: 'fashion-mnist' } }).dataset.name).toBe('fashion-mnist');
  });

  it('names the flag for bad override values', () => {
    const cases: [Parameters<typeof buildRunConfig>[0], string][] = [
      [{ overrides: { epochs: -1 } }, '--epochs'],
      [{ overrides: { layers: [784] } }, '--layers'],
      [{ overrides: { layers: [784, 0, 10] } }, '--layers'],
      [{ overrides: { dim: 1 } }, '--dim'],
      [{ overrides: { dim: 65 } }, '--dim'],
      [{ overrides: { zMode: 'wobbly' } }, '--z-mode'],
      [{ overrides: { learningRate: 0 } }, '--lr'],
      [{ overrides: { seed: 1.5 } }, '--seed'],
      [{ overrides: { kernel: 'gpu' } }, '--kernel'],
      [{ overrides: { trainSize: 0 } }, '--train-size'],
      [{ overrides: { dataset: '' } }, '--dataset'],
      [{ preset: 'nope' }, '--preset'],
    ];
    for (const [opts, flag] of cases) {
      const e = errorOf(() => buildRunConfig(opts));
      expect(e.flag, e.message).toBe(flag);
      expect(e.message).toContain(flag);
    }
  });

  it('reports broken and missing files with their path', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "training": { "epochs": 3, }\n}');
    const e = errorOf(() => buildRunConfig({ configFile: broken }));
    expect(e.message).toContain(broken);
    expect(e.message).toMatch(/invalid JSON.*line 2/);
    expect(errorOf(() => buildRunConfig({ configFile: join(dir, 'missing.json') })).message).toContain('no such file');
    const arr = join(dir, 'array.json');
    writeFileSync(arr, '[]');
    expect(errorOf(() => buildRunConfig({ configFile: arr })).message).toContain('JSON object');
  });
});

describe('validateRunConfig', () => {
  it('accepts every preset unchanged', async () => {
    const { PRESETS } = await import('../../src/core/model/presets');
    for (const p of PRESETS) expect(validateRunConfig(structuredClone(p.config))).toEqual(p.config);
  });

  it('fills optional fields with defaults', () => {
    const c = validateRunConfig({
      model: { kind: 'spatial', layers: [784, 32, 10] },
      dataset: { name: 'mnist' },
      training: { epochs: 1, batchSize: 10, learningRate: 0.01, seed: 0 },
    });
    expect(c.kernel).toBe('simd');
    expect(c.snapshotEvery).toBe(1);
    expect(c.model).toMatchObject({ dim: 3, zMode: 'learned-gap', inhibitionSteepness: 5, distanceEpsilon: 0 });
  });

  it('names the offending field', () => {
    const base = presetConfig('quick') as unknown as Record<string, Record<string, unknown>>;
    const cases: [unknown, string][] = [
      [null, 'config'],
      [{ ...base, model: { ...base.model, kind: 'cnn' } }, 'model.kind'],
      [{ ...base, model: { ...base.model, layers: 'x' } }, 'model.layers'],
      [{ ...base, training: { ...base.training, batchSize: 0 } }, 'training.batchSize'],
      [{ ...base, training: { ...base.training, epochs: undefined } }, 'training.epochs'],
      [{ ...base, dataset: { name: 'mnist', testSize: -5 } }, 'dataset.testSize'],
      [{ ...base, extra: 1 }, 'extra'],
      [{ ...base, snapshotEvery: 0 }, 'snapshotEvery'],
    ];
    for (const [raw, field] of cases) {
      const e = errorOf(() => validateRunConfig(raw));
      expect(e.message.startsWith(field), e.message).toBe(true);
    }
  });
});
