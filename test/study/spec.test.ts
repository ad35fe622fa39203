/**
 * Checking and planning a StudySpec: defaults, normalisation, per-seed configs, and errors that
 * name the field. No training: the runs are made directly in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import { RunStore } from '../../src/core/store/index';
import {
  canonicalJson,
  configKey,
  DEFAULT_STUDY_RATES,
  duringConfig,
  findReusableRun,
  planStudy,
} from '../../src/core/study/index';
import { blob } from '../store/helpers';
import { tempDir, tinyConfig } from './helpers';

const tmp = tempDir('sen-study-spec-');
let store: RunStore;
const ids = { done: '', noModel: '', running: '' };

beforeAll(() => {
  store = RunStore.open(tmp.db);
  const make = (name: string): string => store.createRun({ config: tinyConfig(), backend: 'cpu', params: 1, name }).id;
  ids.done = make('tiny');
  store.finishRun(ids.done, 'completed', { finalModel: blob(1) });
  ids.noModel = make('no model');
  store.finishRun(ids.noModel, 'completed');
  ids.running = make('busy');
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function fieldOf(spec: unknown): string {
  try {
    planStudy(spec, store);
  } catch (err) {
    expect((err as Error).name).toBe('LabValidationError');
    const field = (err as { field: string }).field;
    expect((err as Error).message).toContain(field);
    return field;
  }
  throw new Error('expected a ConfigError');
}

describe('planStudy', () => {
  it('fills defaults and plans one base config per preset seed, the run itself for a runId model', () => {
    const models = [{ preset: 'quick' }, { runId: ids.done.slice(0, 6), label: 'mine' }];
    const plan = planStudy({ models, seeds: [3, 1, 3] }, store);
    expect(plan.spec).toEqual({
      name: 'pruning quick vs mine',
      models: [
        { label: 'quick', preset: 'quick' },
        { label: 'mine', runId: ids.done },
      ],
      rates: [...DEFAULT_STUDY_RATES],
      modes: ['post'],
      seeds: [1, 3],
      scope: 'global',
    });
    expect(plan.models[0].bases.map((b) => [b.seed, b.config.training.seed])).toEqual([
      [1, 1],
      [3, 3],
    ]);
    expect(plan.models[0].bases[0].config).toEqual(buildRunConfig({ preset: 'quick', overrides: { seed: 1 } }));
    expect(plan.models[1].bases).toEqual([{ seed: 1, config: tinyConfig() }]);
    expect(plan.total).toBe((2 + 1) * 6);
  });

  it('applies epochs/trainSize/testSize to presets only and normalises rates and modes', () => {
    const sizes = { epochs: 2, trainSize: 500, testSize: 100, scope: 'per-layer' };
    const models = [{ preset: 'baseline-14' }, { runId: ids.done }];
    const plan = planStudy({ name: ' n ', models, rates: [0.9, 0.5, 0.9], modes: ['during', 'post'], ...sizes }, store);
    expect(plan.spec).toMatchObject({ name: 'n', rates: [0.5, 0.9], modes: ['post', 'during'], ...sizes });
    const preset = plan.models[0].bases[0].config;
    expect([preset.training.epochs, preset.dataset.trainSize, preset.dataset.testSize]).toEqual([2, 500, 100]);
    expect(plan.models[1].bases[0].config).toEqual(tinyConfig());
    expect(plan.models[1].label).toBe('tiny');
    expect(plan.total).toBe(2 * 2 * 2);
  });

  it('names the field of every problem', () => {
    expect(fieldOf(null)).toBe(''); // the whole spec (the message says 'spec must be an object')
    expect(fieldOf({})).toBe('models');
    expect(fieldOf({ models: [] })).toBe('models');
    expect(fieldOf({ models: [{ preset: 'quick' }], rate: [0.5] })).toBe('rate');
    expect(fieldOf({ models: [{ preset: 'quick' }, { preset: 'nope' }] })).toBe('models[1].preset');
    expect(fieldOf({ models: [{ preset: 'quick', runId: ids.done }] })).toBe('models[0]');
    expect(fieldOf({ models: [{ label: 'x' }] })).toBe('models[0]');
    expect(fieldOf({ models: [{ preset: 'quick', colour: 'red' }] })).toBe('models[0].colour');
    expect(fieldOf({ models: [{ preset: 'quick' }, { runId: 'rnope00000' }] })).toBe('models[1].runId');
    expect(fieldOf({ models: [{ runId: ids.noModel }] })).toBe('models[0].runId');
    expect(fieldOf({ models: [{ runId: ids.running }] })).toBe('models[0].runId');
    expect(fieldOf({ models: [{ preset: 'quick' }, { preset: 'quick' }] })).toBe('models[1].label');
    expect(fieldOf({ models: [{ preset: 'quick', label: ' ' }] })).toBe('models[0].label');
    expect(fieldOf({ models: [{ preset: 'quick' }], rates: [0.2, 1] })).toBe('rates[1]');
    expect(fieldOf({ models: [{ preset: 'quick' }], rates: [-0.1] })).toBe('rates[0]');
    expect(fieldOf({ models: [{ preset: 'quick' }], rates: [] })).toBe('rates');
    expect(fieldOf({ models: [{ preset: 'quick' }], modes: ['post', 'later'] })).toBe('modes[1]');
    expect(fieldOf({ models: [{ preset: 'quick' }], seeds: [1, 1.5] })).toBe('seeds[1]');
    expect(fieldOf({ models: [{ preset: 'quick' }], epochs: 0 })).toBe('epochs');
    expect(fieldOf({ models: [{ preset: 'quick' }], trainSize: 2.5 })).toBe('trainSize');
    expect(fieldOf({ models: [{ preset: 'quick' }], scope: 'layer' })).toBe('scope');
  });
});

describe('run reuse', () => {
  it('compares configs as canonical JSON, ignoring the name', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    const c = tinyConfig();
    expect(configKey({ ...c, name: 'whatever' })).toBe(configKey(c));
    expect(configKey(tinyConfig(2))).not.toBe(configKey(c));
    expect(configKey(duringConfig(c, 0.5, 'global'))).not.toBe(configKey(c));
  });

  it('reuses a completed run with a model; resumes only interrupted runs a study started', () => {
    expect(findReusableRun(store, tinyConfig())).toEqual({ id: ids.done, status: 'completed' });
    expect(findReusableRun(store, tinyConfig(7))).toBeNull();
    const during = duringConfig(tinyConfig(), 0.5, 'global');
    const mine = store.createRun({ config: during, backend: 'cpu', params: 1 });
    store.finishRun(mine.id, 'interrupted');
    expect(findReusableRun(store, during)).toBeNull(); // a user's own interrupted run is left alone
    store.setTags(mine.id, ['study:sabc']);
    expect(findReusableRun(store, during)).toEqual({ id: mine.id, status: 'interrupted' });
  });
});
