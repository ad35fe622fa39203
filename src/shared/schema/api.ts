/**
 * THE arguments of the LabApi methods (other than the run config, ./run-config.ts, and the figure
 * and sweep requests, ./figures.ts and ./sweep.ts), declared once: their TypeScript types are
 * derived from these schemas (src/shared/lab-api.ts re-exports them), the IPC/HTTP handlers check
 * every call with them, and the engine (study planner, reproduction) checks its input with the
 * same schemas before the checks that need the lab's state (a preset exists, a run is completed).
 */
import * as v from 'valibot';
import { LIMITS } from '../model-defaults';
import { PRUNE_SCOPES, REPRODUCTION_EXPERIMENTS, RUN_STATUSES, STUDY_MODES } from './enums';
import { bool, int, list, must, num, oneOf, record, text } from './fields';
import { RunConfigSchema } from './run-config';

/** An id or a unique prefix of one (the store resolves it); ids are 10 characters, 64 is generous. */
const idOf = (what: string) =>
  v.custom<string>(
    (x) => typeof x === 'string' && x.length <= 64 && x.trim() !== '',
    must(`a ${what} id (a non-empty string of at most 64 characters)`),
  );
export const RunIdSchema = idOf('run');
export const StudyIdSchema = idOf('study');
export const SweepIdSchema = idOf('sweep');

export const RunNameSchema = text(200);
export const NotesSchema = text(20_000);
/** Tags: short strings, a bounded number (the store trims and de-duplicates them). */
export const TagsSchema = list(text(64), 'a list of at most 64 tags', 0, 64);
/** A snapshot's epoch (0 = before training). */
export const EpochSchema = int(0, 1_000_000);

export const RunFilterSchema = record({
  search: v.optional(text(200)),
  status: v.optional(oneOf(RUN_STATUSES)),
  tag: v.optional(text(64)),
  includeArchived: v.optional(bool()),
  limit: v.optional(int(1, 100_000)),
});
export type RunFilter = v.InferOutput<typeof RunFilterSchema>;

export const StartRunOptionsSchema = record({
  name: v.optional(RunNameSchema),
  tags: v.optional(TagsSchema),
  /** start even when the memory estimate is above the lab's limit (checkConfig's `memory.fits` false) */
  ignoreMemoryLimit: v.optional(bool()),
});
export type StartRunOptions = v.InferOutput<typeof StartRunOptionsSchema>;

/** A pruning rate: the fraction of connections removed. */
export const PruneRateSchema = num({ min: 0, below: 1 }, 'a fraction in [0, 1) (0.9 = 90 % removed)');

export const PruneRequestSchema = record({
  /** fractions of connections removed, each in [0, 1) */
  rates: v.optional(list(PruneRateSchema, 'a list of at most 100 rates', 0, 100)),
  /** spatial models: remove connections longer than each threshold */
  maxDistances: v.optional(list(num({ above: 0 }), 'a list of at most 100 distances', 0, 100)),
  scope: v.optional(oneOf(PRUNE_SCOPES)),
  /** evaluate on the first N test images (the distance slider uses 2,000) */
  testSize: v.optional(int(1, 1_000_000)),
});
export type PruneRequest = v.InferOutput<typeof PruneRequestSchema>;

/** One model of a pruning study: an existing run, or a preset trained by the study. */
export const StudyModelSchema = v.pipe(
  record({
    /** shown in plots and tables (default: the preset name or run name) */
    label: v.optional(text(100)),
    preset: v.optional(text(100)),
    runId: v.optional(RunIdSchema),
  }),
  v.forward(
    v.check((m) => m.label === undefined || m.label.trim() !== '', ' must not be empty'),
    ['label'],
  ),
  v.check((m) => (m.preset === undefined) !== (m.runId === undefined), ': give exactly one of preset or runId'),
);
export type StudyModel = v.InferOutput<typeof StudyModelSchema>;

/** Bounds that keep a study a study (and a typo from planning millions of trainings). */
export const STUDY_LIMITS = { models: 50, rates: 100, seeds: 100 };

const nonEmptyList = <T extends v.GenericSchema>(item: T, what: string, max: number) =>
  list(item, `a non-empty list of at most ${max} ${what}`, 1, max);

/**
 * A pruning study: every model x mode x rate x seed. 'post' prunes a trained model (one training
 * per model and seed); 'during' trains one run per rate with pruning from the first step.
 * What depends on the lab's state (presets and runs exist, labels are unique) is checked by the
 * study planner (src/core/study/spec.ts), naming the field.
 */
export const StudySpecSchema = record({
  name: v.optional(text(200)),
  models: nonEmptyList(StudyModelSchema, 'models', STUDY_LIMITS.models),
  /** default 0.2, 0.4, 0.6, 0.8, 0.9, 0.95 */
  rates: v.optional(nonEmptyList(PruneRateSchema, 'rates', STUDY_LIMITS.rates)),
  /** default ['post'] */
  modes: v.optional(nonEmptyList(oneOf(STUDY_MODES), "modes ('post', 'during')", 10)),
  /** default [1]; ignored for models given by runId */
  seeds: v.optional(nonEmptyList(int(), 'integer seeds', STUDY_LIMITS.seeds)),
  /** overrides for the trainings the study starts (shortened studies) */
  epochs: v.optional(int(1, LIMITS.maxEpochs)),
  trainSize: v.optional(int(1)),
  testSize: v.optional(int(1)),
  scope: v.optional(oneOf(PRUNE_SCOPES)),
});
export type StudySpec = v.InferOutput<typeof StudySpecSchema>;

/** What `startReproduction` runs (all optional: every experiment, seeds 1-3, the paper's epochs and data). */
export const ReproductionRequestSchema = v.pipe(
  record({
    experiments: v.optional(
      nonEmptyList(oneOf(REPRODUCTION_EXPERIMENTS), 'experiments', REPRODUCTION_EXPERIMENTS.length),
    ),
    seeds: v.optional(nonEmptyList(int(), 'integer seeds', 100)),
    /** each model trains max(1, round(budget x its epochs)); 0 < budget <= 1 */
    budget: v.optional(num({ above: 0, max: 1 }, 'a fraction in (0, 1]')),
    /** every model trains exactly this many epochs (not with `budget`) */
    epochs: v.optional(int(1, 100_000)),
    trainSize: v.optional(int(1, 100_000_000)),
    testSize: v.optional(int(1, 100_000_000)),
  }),
  v.forward(
    v.check(
      (r) => r.experiments === undefined || new Set(r.experiments).size === r.experiments.length,
      ' lists an experiment twice',
    ),
    ['experiments'],
  ),
  v.check((r) => r.budget === undefined || r.epochs === undefined, ': give budget or epochs, not both'),
);
export type ReproductionRequest = v.InferOutput<typeof ReproductionRequestSchema>;

/** A stored reproduction's id (its report folder's name). */
export const ReproductionIdSchema = text(200, true);

/** What `estimateCost` estimates: a list of configs (New run, a sweep's plan), a study spec or a reproduction. */
export const CostRequestSchema = record({
  /** at most a large sweep's worth; each checked (and normalised) by the run config schema */
  configs: v.optional(list(RunConfigSchema, 'a list of at most 10000 run configs', 0, 10_000)),
  study: v.optional(StudySpecSchema),
  reproduction: v.optional(ReproductionRequestSchema),
});
export type CostRequest = v.InferOutput<typeof CostRequestSchema>;

export const SpikeRequestSchema = record({
  /** index into the run's test set (default 0) */
  testIndex: v.optional(int(0, 1_000_000)),
});
export type SpikeRequest = v.InferOutput<typeof SpikeRequestSchema>;
