import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config/index';
import { planSweep, readSweepSpec, trainingKey } from '../../src/core/sweep/spec';
import { tempDir } from '../cli/helpers';

const ISSUE_EXAMPLE = {
  preset: 'quick',
  set: { 'training.epochs': 1, 'dataset.trainSize': 2000 },
  grid: { 'training.learningRate': [0.005, 0.01] },
  seeds: [1, 2],
};

function refusal(spec: unknown): ConfigError {
  try {
    planSweep(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('the spec was accepted');
}

describe('sweep specs', () => {
  it("expands the issue's example into 4 validated trainings with stable keys", () => {
    const plan = planSweep(ISSUE_EXAMPLE);
    expect(plan.trainings).toHaveLength(4);
    expect(plan.trainings.map((t) => [t.config.training.learningRate, t.config.training.seed])).toEqual([
      [0.005, 1],
      [0.005, 2],
      [0.01, 1],
      [0.01, 2],
    ]);
    for (const t of plan.trainings) {
      expect(t.config.training.epochs).toBe(1);
      expect(t.config.dataset.trainSize).toBe(2000);
      expect(t.key).toMatch(/^[0-9a-f]{16}$/);
      expect(t.key).toBe(trainingKey(t.config));
    }
    expect(new Set(plan.trainings.map((t) => t.key)).size).toBe(4);
    expect(planSweep(ISSUE_EXAMPLE).trainings.map((t) => t.key)).toEqual(plan.trainings.map((t) => t.key));
  });

  it('draws random values reproducibly from the seed, within their ranges', () => {
    const spec = {
      random: {
        'training.learningRate': { dist: 'loguniform', min: 1e-4, max: 1e-2 },
        'model.dim': { dist: 'int', min: 2, max: 4 },
        'model.zMode': { dist: 'choice', values: ['fixed-gap', 'relaxed'] },
      },
      count: 6,
      randomSeed: 7,
    };
    const a = planSweep(spec).trainings;
    expect(a).toHaveLength(6);
    expect(planSweep(spec).trainings.map((t) => t.values)).toEqual(a.map((t) => t.values));
    expect(planSweep({ ...spec, randomSeed: 8 }).trainings.map((t) => t.values)).not.toEqual(a.map((t) => t.values));
    for (const t of a) {
      const lr = t.config.training.learningRate;
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThan(1e-2);
      expect([2, 3, 4]).toContain(t.config.model.kind === 'spatial' ? t.config.model.dim : -1);
    }
  });

  it('refuses unknown paths and bad values naming the spec entry, before anything runs', () => {
    expect(refusal({ grid: { 'training.learningrate': [0.1] } }).message).toMatch(
      /grid\["training.learningrate"\]\[0\].*unknown field/,
    );
    expect(refusal({ grid: { 'training.learningRate': [0.1, -1] } }).message).toMatch(
      /grid\["training.learningRate"\]\[1\].*learningRate/,
    );
    expect(refusal({ set: { 'model.dim': 1 } }).message).toMatch(/set\["model.dim"\].*model.dim/);
    expect(refusal({ seeds: [1, 1.5] }).message).toMatch(/seeds\[1\]/);
    expect(
      refusal({ random: { 'training.learningRate': { dist: 'normal', min: 0, max: 1 } }, count: 2 }).message,
    ).toMatch(
      /random\["training.learningRate"\]\.dist must be one of 'uniform', 'loguniform', 'int', 'choice', got "normal"/,
    );
    expect(refusal({ random: { 'training.learningRate': { dist: 'uniform', min: 0.1, max: 0.2 } } }).message).toMatch(
      /count/,
    );
    expect(refusal({ grdi: {} }).message).toMatch(/sweep spec grdi: unknown field \(allowed: name, preset, config/);
    expect(refusal({ preset: 'nope' }).message).toMatch(/preset/);
    expect(refusal({ grid: { 'training.learningRate': [] } }).message).toMatch(/non-empty/);
  });

  it('reads YAML and JSON files, and names the file when it is broken', () => {
    const tmp = tempDir('sen-lab-spec-');
    try {
      const yaml = join(tmp.dir, 'sweep.yaml');
      writeFileSync(
        yaml,
        'preset: quick\nset:\n  training.epochs: 1\ngrid:\n  training.learningRate: [0.005, 0.01]\nseeds: [1, 2]\n',
      );
      expect(planSweep(readSweepSpec(yaml)).trainings).toHaveLength(4);
      const bad = join(tmp.dir, 'bad.json');
      writeFileSync(bad, '{"preset": "quick",');
      expect(() => readSweepSpec(bad)).toThrow(/bad\.json: invalid JSON/);
      expect(() => readSweepSpec(join(tmp.dir, 'missing.json'))).toThrow(/no such file/);
    } finally {
      tmp.cleanup();
    }
  });

  it('drops duplicate trainings (same config) from the plan', () => {
    expect(planSweep({ grid: { 'training.learningRate': [0.01, 0.01, 0.02] } }).trainings).toHaveLength(2);
  });
});
