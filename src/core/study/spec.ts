/**
 * Checking a StudySpec from anywhere untrusted (CLI flags, IPC, HTTP) and turning it into a plan:
 * the normalised spec (defaults filled in, stored with the study) and, per model, the base
 * configs to train or reuse. Errors are ConfigErrors whose `field` names the spot, e.g.
 * `models[1].preset`.
 */
import { PRUNE_SCOPES } from '../../shared/schema/enums';
import type { StudyModel, StudySpec } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { buildRunConfig, ConfigError, LIMITS } from '../config/index';
import { asObject, checkKeys, checkNumber, enumField, optionalNumber, show, stringField } from '../config/fields';
import { findPreset, PRESETS } from '../model/presets';
import { isStoreError, type RunStore } from '../store/index';

/** The paper's rates (20 ... 95 %), used when a spec gives none. */
export const DEFAULT_STUDY_RATES: readonly number[] = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95];

/** Bounds that keep a study a study (and a typo from planning millions of trainings). */
export const STUDY_LIMITS = { models: 50, rates: 100, seeds: 100 };

const SPEC_KEYS = ['name', 'models', 'rates', 'modes', 'seeds', 'epochs', 'trainSize', 'testSize', 'scope'];
const MODEL_KEYS = ['label', 'preset', 'runId'];
const MODES = ['post', 'during'] as const;

/** One model of a plan: its label and, per seed, the config of its unpruned base run. */
export interface PlannedModel {
  label: string;
  preset?: string;
  /** a model given by an existing run: that run is the base run (one entry in `bases`) */
  runId?: string;
  bases: { seed: number; config: RunConfig }[];
}

/** A checked study: the normalised spec, its models and the number of results planned. */
export interface StudyPlan {
  spec: StudySpec & Required<Pick<StudySpec, 'name' | 'rates' | 'modes' | 'seeds' | 'scope'>>;
  models: PlannedModel[];
  total: number;
}

/**
 * Checks `raw` and plans the study. Rates, modes and seeds are de-duplicated (rates and seeds
 * sorted); labels default to the preset name or the run's name and must be unique.
 * Presets are trained with each seed and the spec's epochs/trainSize/testSize; a model given by
 * `runId` (a completed run with a final model) is used as it is, seeds and overrides do not apply.
 * @throws ConfigError naming the field (`models[1].preset`, `rates[0]`, `epochs`, ...)
 */
export function planStudy(raw: unknown, store: RunStore): StudyPlan {
  const o = asObject(raw, 'spec');
  checkKeys(o, SPEC_KEYS, '');
  const rates = sortedUnique(uniqueList(o.rates, 'rates', STUDY_LIMITS.rates, checkRate) ?? [...DEFAULT_STUDY_RATES]);
  const givenModes = uniqueList(o.modes, 'modes', 10, checkMode) ?? ['post'];
  const modes = MODES.filter((m) => givenModes.includes(m));
  const seeds = sortedUnique(
    uniqueList(o.seeds, 'seeds', STUDY_LIMITS.seeds, (v, path) => checkNumber(v, path, { integer: true })) ?? [1],
  );
  const overrides = {
    epochs: optionalNumber(o, 'epochs', '', { integer: true, min: 1, max: LIMITS.maxEpochs }),
    trainSize: optionalNumber(o, 'trainSize', '', { integer: true, min: 1 }),
    testSize: optionalNumber(o, 'testSize', '', { integer: true, min: 1 }),
  };
  const scope = enumField(o, 'scope', '', PRUNE_SCOPES, 'global');
  const name = stringField(o, 'name', '', false, 200)?.trim();

  if (!Array.isArray(o.models) || o.models.length === 0) {
    throw new ConfigError(`models must be a non-empty list of models, got ${show(o.models)}`, { field: 'models' });
  }
  if (o.models.length > STUDY_LIMITS.models) {
    throw new ConfigError(`models: at most ${STUDY_LIMITS.models} models, got ${o.models.length}`, { field: 'models' });
  }
  const models = o.models.map((m, i) => planModel(m, `models[${i}]`, { store, seeds, ...overrides }));
  const seen = new Set<string>();
  models.forEach((m, i) => {
    if (seen.has(m.label)) {
      const field = `models[${i}].label`;
      throw new ConfigError(`${field}: "${m.label}" is used twice; give each model its own label`, { field });
    }
    seen.add(m.label);
  });

  const specModels: StudyModel[] = models.map((m) => ({
    label: m.label,
    ...(m.preset ? { preset: m.preset } : { runId: m.runId }),
  }));
  const spec: StudyPlan['spec'] = {
    name: name || defaultName(models),
    models: specModels,
    rates,
    modes,
    seeds,
    scope,
    ...definedOnly(overrides),
  };
  const total = models.reduce((sum, m) => sum + m.bases.length * modes.length * rates.length, 0);
  return { spec, models, total };
}

interface ModelContext {
  store: RunStore;
  seeds: number[];
  epochs?: number;
  trainSize?: number;
  testSize?: number;
}

function planModel(raw: unknown, path: string, ctx: ModelContext): PlannedModel {
  const m = asObject(raw, path);
  checkKeys(m, MODEL_KEYS, path);
  const label = stringField(m, 'label', path, false, 100)?.trim();
  if (label === '') throw new ConfigError(`${path}.label must not be empty`, { field: `${path}.label` });
  const preset = stringField(m, 'preset', path, false, 100);
  const runId = stringField(m, 'runId', path, false, 64);
  if ((preset === undefined) === (runId === undefined)) {
    throw new ConfigError(`${path}: give exactly one of preset or runId`, { field: path });
  }
  if (preset !== undefined) {
    if (!findPreset(preset)) {
      throw new ConfigError(
        `${path}.preset: unknown preset "${preset}"; known presets: ${PRESETS.map((p) => p.name).join(', ')}`,
        {
          field: `${path}.preset`,
        },
      );
    }
    const bases = ctx.seeds.map((seed) => ({ seed, config: presetStudyConfig(preset, seed, ctx, path) }));
    return { label: label ?? preset, preset, bases };
  }
  const run = baseRun(ctx.store, runId!, `${path}.runId`);
  return { label: label ?? run.name, runId: run.id, bases: [{ seed: run.config.training.seed, config: run.config }] };
}

/** A preset's config with the study's seed and overrides, exactly as `sen-lab train` would build it. */
function presetStudyConfig(preset: string, seed: number, ctx: ModelContext, path: string): RunConfig {
  try {
    return buildRunConfig({
      preset,
      overrides: { seed, epochs: ctx.epochs, trainSize: ctx.trainSize, testSize: ctx.testSize },
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const field = (['epochs', 'trainSize', 'testSize'] as const).find((k) => err.field.endsWith(k)) ?? `${path}.preset`;
    throw new ConfigError(`${field}: ${err.message}`, { field });
  }
}

function baseRun(store: RunStore, id: string, field: string): ReturnType<RunStore['getRun']> {
  let run: ReturnType<RunStore['getRun']>;
  try {
    run = store.getRun(id);
  } catch (err) {
    if (isStoreError(err, 'not-found') || isStoreError(err, 'ambiguous'))
      throw new ConfigError(`${field}: ${err.message}`, { field });
    throw err;
  }
  if (run.status !== 'completed' || store.getFinalModel(run.id) === null) {
    throw new ConfigError(
      `${field}: run ${run.id} is ${run.status}; a study needs a completed run with a final model`,
      { field },
    );
  }
  return run;
}

function checkRate(v: unknown, path: string): number {
  const rate = checkNumber(v, path, { min: 0 });
  if (rate >= 1)
    throw new ConfigError(`${path} must be a fraction below 1 (0.9 = 90 % removed), got ${rate}`, { field: path });
  return rate;
}

function checkMode(v: unknown, path: string): (typeof MODES)[number] {
  if (v === 'post' || v === 'during') return v;
  throw new ConfigError(`${path} must be 'post' or 'during', got ${show(v)}`, { field: path });
}

function uniqueList<T>(v: unknown, path: string, max: number, check: (v: unknown, path: string) => T): T[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.length > max) {
    throw new ConfigError(`${path} must be a non-empty list of at most ${max} values, got ${show(v)}`, { field: path });
  }
  return [...new Set(v.map((item, i) => check(item, `${path}[${i}]`)))];
}

function sortedUnique(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function defaultName(models: PlannedModel[]): string {
  return `pruning ${models.map((m) => m.label).join(' vs ')}`.slice(0, 200);
}
