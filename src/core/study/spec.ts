/**
 * Checking a StudySpec from anywhere untrusted (CLI flags, IPC, HTTP) and turning it into a plan:
 * the normalised spec (defaults filled in, stored with the study) and, per model, the base
 * configs to train or reuse. Errors are ConfigErrors whose `field` names the spot, e.g.
 * `models[1].preset`.
 */
import type { StudyModel, StudySpec } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { StudySpecSchema } from '../../shared/schema/api';
import { STUDY_MODES } from '../../shared/schema/enums';
import { parseOrThrow } from '../../shared/schema/fields';
import { buildRunConfig, ConfigError } from '../config/index';
import { definedOnly } from '../util/objects';
import { findPreset, PRESETS } from '../model/presets';
import { isStoreError, type RunStore } from '../store/index';

/** The paper's rates (20 ... 95 %), used when a spec gives none. */
export const DEFAULT_STUDY_RATES: readonly number[] = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95];

export { STUDY_LIMITS } from '../../shared/schema/api';

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
  const o = parseOrThrow(StudySpecSchema, raw, '', 'spec');
  const rates = sortedUnique(o.rates ?? [...DEFAULT_STUDY_RATES]);
  const modes = STUDY_MODES.filter((m) => (o.modes ?? ['post']).includes(m));
  const seeds = sortedUnique(o.seeds ?? [1]);
  const overrides = { epochs: o.epochs, trainSize: o.trainSize, testSize: o.testSize };
  const scope = o.scope ?? 'global';
  const name = o.name?.trim();

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

/** One model of a checked spec (exactly one of preset and runId, a label that is not blank). */
function planModel(m: StudyModel, path: string, ctx: ModelContext): PlannedModel {
  const label = m.label?.trim();
  const { preset, runId } = m;
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

function sortedUnique(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

function defaultName(models: PlannedModel[]): string {
  return `pruning ${models.map((m) => m.label).join(' vs ')}`.slice(0, 200);
}
