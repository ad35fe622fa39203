/**
 * Argument checks for the contract's methods, built from the pure combinators of
 * src/shared/validate.ts plus the run-config validator of the core. Used by every transport.
 */
import { validateRunConfig } from '../../core/config/index';
import {
  REPRODUCTION_EXPERIMENTS,
  type PruneRequest,
  type ReproductionRequest,
  type RunFilter,
  type StartRunOptions,
  type StudyModel,
  type StudySpec,
} from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { PRUNE_SCOPES, RUN_STATUSES } from '../../shared/schema/enums';
import {
  arrayOf,
  boolean,
  finite,
  integer,
  LabValidationError,
  object,
  oneOf,
  optional,
  string,
  type Check,
} from '../../shared/validate';

/** A run id or a unique id prefix (the store resolves it); ids are 10 characters, 64 is generous. */
export const runId: Check<string> = (v, path) => {
  const id = string(64)(v, path);
  if (id.trim() === '') throw new LabValidationError(`${path}: expected a run id, got an empty string`);
  return id;
};

/** A complete run config, normalised (defaults filled in). Throws ConfigError naming the field. */
export const runConfig: Check<RunConfig> = (v) => validateRunConfig(v);

/** Tags: short strings, a bounded number (the store trims and de-duplicates them). */
export const tags: Check<string[]> = arrayOf(string(64), 64);

export const runName: Check<string> = string(200);

export const notes: Check<string> = string(20_000);

export const epoch: Check<number> = integer(0, 1_000_000);

export const runFilter: Check<RunFilter> = object<RunFilter>({
  search: optional(string(200)),
  status: optional(oneOf(...RUN_STATUSES)),
  tag: optional(string(64)),
  includeArchived: optional(boolean),
  limit: optional(integer(1, 100_000)),
});

export const startOptions: Check<StartRunOptions> = object<StartRunOptions>({
  name: optional(runName),
  tags: optional(tags),
  ignoreMemoryLimit: optional(boolean),
});

/** A study id or unique prefix (the store resolves it). */
export const studyId: Check<string> = (v, path) => {
  const id = string(64)(v, path);
  if (id.trim() === '') throw new LabValidationError(`${path}: expected a study id, got an empty string`);
  return id;
};

/** A pruning rate: a fraction of connections in [0, 1). */
export const pruneRate: Check<number> = (v, path) => {
  const rate = finite(v, path);
  if (rate < 0 || rate >= 1) throw new LabValidationError(`${path}: expected a rate in [0, 1), got ${rate}`);
  return rate;
};

const positive: Check<number> = (v, path) => {
  const x = finite(v, path);
  if (x <= 0) throw new LabValidationError(`${path}: expected a number > 0, got ${x}`);
  return x;
};

export const pruneRequest: Check<PruneRequest> = object<PruneRequest>({
  rates: optional(arrayOf(pruneRate, 100)),
  maxDistances: optional(arrayOf(positive, 100)),
  scope: optional(oneOf(...PRUNE_SCOPES)),
  testSize: optional(integer(1, 1_000_000)),
});

const studyModel: Check<StudyModel> = object<StudyModel>({
  label: optional(string(100)),
  preset: optional(string(100)),
  runId: optional(runId),
});

/**
 * The shape of a StudySpec (types, sizes, unknown keys). What depends on the lab's state (presets
 * and runs exist, labels are unique) is checked by the study planner, naming the field.
 */
export const studySpec: Check<StudySpec> = object<StudySpec>({
  name: optional(string(200)),
  models: arrayOf(studyModel, 50),
  rates: optional(arrayOf(pruneRate, 100)),
  modes: optional(arrayOf(oneOf('post', 'during'), 2)),
  seeds: optional(arrayOf(integer(), 100)),
  epochs: optional(integer(1, 1_000_000)),
  trainSize: optional(integer(1, 100_000_000)),
  testSize: optional(integer(1, 100_000_000)),
  scope: optional(oneOf(...PRUNE_SCOPES)),
});

/** An epoch budget: a fraction in (0, 1]. */
const budgetFraction: Check<number> = (v, path) => {
  const f = finite(v, path);
  if (!(f > 0 && f <= 1)) throw new LabValidationError(`${path}: expected a budget in (0, 1], got ${f}`);
  return f;
};

const reproductionShape = object<ReproductionRequest>({
  experiments: optional(arrayOf(oneOf(...REPRODUCTION_EXPERIMENTS), REPRODUCTION_EXPERIMENTS.length)),
  seeds: optional(arrayOf(integer(), 100)),
  budget: optional(budgetFraction),
  epochs: optional(integer(1, 1_000_000)),
  trainSize: optional(integer(1, 100_000_000)),
  testSize: optional(integer(1, 100_000_000)),
});

/** A reproduction request: known experiment names (no repeats), integer seeds (at least one), `budget` or `epochs`. */
export const reproductionRequest: Check<ReproductionRequest> = (v, path) => {
  const r = reproductionShape(v, path);
  if (r.experiments) {
    if (r.experiments.length === 0)
      throw new LabValidationError(`${path}.experiments: expected at least one experiment`);
    if (new Set(r.experiments).size !== r.experiments.length)
      throw new LabValidationError(`${path}.experiments: an experiment is listed twice`);
  }
  if (r.seeds && r.seeds.length === 0) throw new LabValidationError(`${path}.seeds: expected at least one seed`);
  if (r.budget !== undefined && r.epochs !== undefined)
    throw new LabValidationError(`${path}: give budget or epochs, not both`);
  return r;
};
