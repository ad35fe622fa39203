/**
 * THE sweep spec and executor options, declared once (types derived here, re-exported by
 * src/shared/sweep.ts). The schema checks the spec's shape; the planner (src/core/sweep/spec.ts)
 * then puts every planned value into a RunConfig and checks that with the config schema, naming
 * the spec entry (`grid["training.learningRate"][1]`).
 */
import * as v from 'valibot';
import { TFJS_BACKENDS, SWEEP_DISTRIBUTIONS, SWEEP_EXECUTORS } from './enums';
import { int, list, must, num, oneOf, record, show, text } from './fields';

/** A string-keyed map of `value`s (`grid`, `random`, `set`, `config`). */
const mapOf = <T extends v.GenericSchema>(value: T) => v.record(v.string(), value, must('an object'));

const range = { min: num(), max: num() };

/** A random distribution of one config field (sampled with the sweep's `randomSeed`). */
export const SweepDistributionSchema = v.pipe(
  v.variant(
    'dist',
    [
      record({ dist: v.literal('uniform'), ...range }),
      record({ dist: v.literal('loguniform'), ...range }),
      record({ dist: v.literal('int'), min: num({ integer: true }), max: num({ integer: true }) }),
      record({ dist: v.literal('choice'), values: list(v.unknown(), 'a non-empty list of values', 1, 10_000) }),
    ],
    (issue) =>
      issue.path?.length
        ? ` must be one of ${SWEEP_DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}, got ${show(issue.input)}`
        : ` must be a distribution like {"dist": "loguniform", "min": 0.001, "max": 0.1}, got ${show(issue.input)}`,
  ),
  v.check(
    (d) => d.dist === 'choice' || d.min <= d.max,
    (issue) => `: needs "min" <= "max", got ${show(issue.input)}`,
  ),
  v.check((d) => d.dist !== 'loguniform' || d.min > 0, ': loguniform needs "min" > 0'),
);
export type SweepDistribution = v.InferOutput<typeof SweepDistributionSchema>;

/** Plans larger than this many characters of JSON are refused before planning. */
const MAX_SPEC_CHARS = 200_000;

/** What a user writes (JSON or YAML). Paths are dotted RunConfig paths, e.g. "training.learningRate". */
export const SweepSpecSchema = v.pipe(
  record({
    name: v.optional(text(200)),
    /** base preset (default 'quick' when no config is given) */
    preset: v.optional(text(100)),
    /** base config, a partial RunConfig merged over the preset */
    config: v.optional(mapOf(v.unknown())),
    /** fixed overrides */
    set: v.optional(mapOf(v.unknown())),
    /** cartesian product of these values */
    grid: v.optional(mapOf(list(v.unknown(), 'a non-empty list of values', 1, 10_000))),
    /** `count` random draws of these fields (each draw combined with every grid point) */
    random: v.optional(mapOf(SweepDistributionSchema)),
    count: v.optional(int(1)),
    randomSeed: v.optional(num({ integer: true })),
    /** every planned config once per seed (`training.seed`) */
    seeds: v.optional(list(num({ integer: true }), 'a non-empty list of integers', 1, 10_000)),
  }),
  v.forward(
    v.check(
      (s) => Object.keys(s.random ?? {}).length > 0 === (s.count !== undefined),
      (issue) =>
        (issue.input as { count?: unknown }).count === undefined
          ? ' is required with random (how many draws)'
          : ' applies only together with random',
    ),
    ['count'],
  ),
  v.check((s) => JSON.stringify(s).length <= MAX_SPEC_CHARS, ': the sweep spec is too large'),
);
export type SweepSpec = v.InferOutput<typeof SweepSpecSchema>;

const optionalText = v.optional(text(4096));

/** How a sweep runs. */
export const SweepExecutorOptionsSchema = record({
  executor: oneOf(SWEEP_EXECUTORS),
  /** at most this many trainings at once (local: worker threads; Slurm: the array's `%N`) */
  maxParallel: v.optional(int(1, 10_000)),
  /** `sbatch` options of a Slurm sweep */
  slurm: v.optional(
    record({
      partition: optionalText,
      time: optionalText,
      cpusPerTask: v.optional(int(1, 4096)),
      mem: optionalText,
      gres: optionalText,
      account: optionalText,
      /** passed to sbatch verbatim, after the options above */
      extraArgs: v.optional(list(text(4096), 'a list of at most 100 arguments', 0, 100)),
      /** folder every node sees (job file, bundles, logs) */
      sharedDir: optionalText,
      /** TensorFlow.js backend on the nodes (SEN_LAB_BACKEND), e.g. 'tensorflow' with tfjs-node(-gpu) */
      backend: v.optional(oneOf(TFJS_BACKENDS)),
    }),
  ),
});
export type SweepExecutorOptions = v.InferOutput<typeof SweepExecutorOptionsSchema>;
export type SlurmOptions = NonNullable<SweepExecutorOptions['slurm']>;
