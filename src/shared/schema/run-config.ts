/**
 * THE run configuration, declared once: each field's type, bounds, default and message live here,
 * and the TypeScript types (RunConfig, ModelSpec, SpikingSpec, ...) are derived from it. The engine
 * (src/core/config), the CLI, the IPC/HTTP handlers and the New run form all validate with it.
 *
 * Adding a config field: add one line to the object schema below (`myField: v.optional(num({ min: 0 }), 1)`
 * for a defaulted number; `oneOf(MY_NAMES)` with the list in ./enums.ts for a closed set), with a
 * doc comment; its type, default, message and unknown-key check follow. Then, if the CLI sets it,
 * one row in the command's flag table (src/core/cli/config-flags.ts), and, if the form shows it,
 * one field in src/renderer/src/lib/run-form.ts.
 */
import * as v from 'valibot';
import {
  defaultDistanceEpsilon,
  defaultInitSpread,
  DISTANCE_DEFAULTS,
  LIMITS,
  SPATIAL_DEFAULTS,
} from '../model-defaults';
import { LabValidationError } from './errors';
import {
  ACTIVATIONS,
  DECODINGS,
  DISTANCE_KERNELS,
  ENCODINGS,
  KERNELS,
  PRUNE_RANKS,
  PRUNE_SCHEDULES,
  PRUNE_SCOPES,
  RESETS,
  SURROGATES,
  Z_MODES,
} from './enums';
import { bool, int, list, num, oneOf, parseOrThrow, record, text } from './fields';

/** more steps than this is almost certainly a typo (memory grows linearly with T) */
export const MAX_TIME_STEPS = 1000;

/** Surrogate slope used when a spec does not set one: snnTorch's defaults (atan alpha 2, fast sigmoid k 25). */
export function defaultSurrogateSlope(surrogate: (typeof SURROGATES)[number]): number {
  return surrogate === 'fast-sigmoid' ? 25 : 2;
}

/**
 * The defaults every optional `model.spiking` field gets. The paper fixes only threshold 1 and
 * beta 0.95; everything else is our documented choice (src/core/snn/README.md).
 */
export const SPIKING_DEFAULTS = {
  timeSteps: 25,
  beta: 0.95,
  threshold: 1,
  learnBeta: false,
  learnThreshold: false,
  reset: 'subtract',
  surrogate: 'atan',
  surrogateSlope: defaultSurrogateSlope('atan'),
  encoding: 'direct',
  decoding: 'membrane-sum',
} as const satisfies Record<string, unknown>;

/**
 * Leaky integrate-and-fire neurons (snnTorch-style) in place of the hidden and output activations:
 *   U[t] = beta * U[t-1] + I[t] - reset,  S[t] = H(U[t] - threshold),
 * unrolled over `timeSteps` and trained with backpropagation through time and a surrogate gradient.
 * Every field is optional on input; `true` means all defaults.
 */
const spikingFields = record({
  /** time steps T (default 25) */
  timeSteps: v.optional(int(1, MAX_TIME_STEPS)),
  /** membrane decay (default 0.95) */
  beta: v.optional(num({ min: 0, max: 1 })),
  /** firing threshold (default 1) */
  threshold: v.optional(num({ above: 0 })),
  /** learn one beta per layer (default false: fixed, as in the paper) */
  learnBeta: v.optional(bool()),
  /** learn one threshold per layer (default false) */
  learnThreshold: v.optional(bool()),
  /** after a spike: subtract the threshold (default) or reset the membrane to zero */
  reset: v.optional(oneOf(RESETS)),
  /** surrogate of dS/dU: 'atan' (default, snnTorch's) or 'fast-sigmoid' */
  surrogate: v.optional(oneOf(SURROGATES)),
  /** surrogate slope: alpha for atan (default 2), k for fast sigmoid (default 25) */
  surrogateSlope: v.optional(num({ above: 0 })),
  /** input encoding: the image as a constant current every step (default) or Poisson rate coding */
  encoding: v.optional(oneOf(ENCODINGS)),
  /** output decoding: the output membrane averaged over the T steps (default) or spike counts */
  decoding: v.optional(oneOf(DECODINGS)),
});

export const SpikingSchema = v.pipe(
  v.unknown(),
  v.transform((x) => (x === true ? {} : x)),
  spikingFields,
  v.transform((o) => {
    const d = SPIKING_DEFAULTS;
    const surrogate = o.surrogate ?? d.surrogate;
    return {
      timeSteps: o.timeSteps ?? d.timeSteps,
      beta: o.beta ?? d.beta,
      threshold: o.threshold ?? d.threshold,
      learnBeta: o.learnBeta ?? d.learnBeta,
      learnThreshold: o.learnThreshold ?? d.learnThreshold,
      reset: o.reset ?? d.reset,
      surrogate,
      surrogateSlope: o.surrogateSlope ?? defaultSurrogateSlope(surrogate),
      encoding: o.encoding ?? d.encoding,
      decoding: o.decoding ?? d.decoding,
    };
  }),
);
export type SpikingSpec = v.InferOutput<typeof SpikingSchema>;

/** absent, null or false: not spiking (the key is left out of the result) */
const spikingField = v.optional(
  v.union([
    v.pipe(
      v.union([v.null(), v.literal(false)]),
      v.transform(() => undefined),
    ),
    SpikingSchema,
  ]),
);

/** neurons per layer, input first, output last (e.g. [784, 2048, 10]) */
export const LayersSchema = list(
  int(1, LIMITS.maxNeurons),
  'a list of at least 2 positive integers (input, ..., output)',
  2,
  64,
);

/** A spatially embedded MLP: w_ij = 1 / ||p_i - p_j||. */
const spatialFields = record({
  kind: v.literal('spatial'),
  layers: LayersSchema,
  /** embedding dimension d >= 2: d-1 coordinates learned per neuron, the last one layer-fixed */
  dim: v.optional(int(LIMITS.minDim, LIMITS.maxDim)),
  zMode: v.optional(oneOf(Z_MODES)),
  /** k in mask = 2*sigmoid(k*v) - 1 (default 5) */
  inhibitionSteepness: v.optional(num({ above: 0 })),
  /** softening epsilon: d = sqrt(||dp||^2 + eps^2). Default 0 for fixed/learned gap, 0.05 for relaxed */
  distanceEpsilon: v.optional(num({ min: 0 })),
  /** positions start uniform in [-initSpread/2, initSpread/2] (default 0.4 * sqrt(widest hidden layer)) */
  initSpread: v.optional(num({ above: 0 })),
  /** inhibition values start uniform in [-initInhibition, initInhibition] (default 0.2) */
  initInhibition: v.optional(num({ min: 0 })),
  hiddenActivation: v.optional(oneOf(ACTIVATIONS)),
  /** distance kernel K in w = mask * K(d); absent means 'inverse' (the paper's w = mask / d) */
  distance: v.optional(oneOf(DISTANCE_KERNELS)),
  /** exponent p of the 'power' kernel (default 2; the initial value when learned) */
  distancePower: v.optional(num({ min: -16, max: 16 })),
  /** lambda of 'exponential' or sigma of 'gaussian' (default 1; the initial value when learned) */
  distanceScale: v.optional(num({ above: 0 })),
  /** learn the kernel parameter, one per layer pair (parameter dist.{l}); not for 'inverse' */
  learnDistance: v.optional(bool()),
  /** present: a spiking network (LIF neurons) with the same spatial weights */
  spiking: spikingField,
});

type DistanceInput = Pick<
  v.InferOutput<typeof spatialFields>,
  'distance' | 'distancePower' | 'distanceScale' | 'learnDistance'
>;

/**
 * The kernel fields, normalised: nothing when `distance` is absent (the paper's inverse kernel, as
 * every config written before kernels existed); otherwise the kernel, its parameter (default p = 2,
 * lambda = sigma = 1) and learnDistance. A field the kernel does not use is an error.
 */
function distanceFields(o: DistanceInput): {
  distance?: (typeof DISTANCE_KERNELS)[number];
  distancePower?: number;
  distanceScale?: number;
  learnDistance?: boolean;
} {
  const uses =
    o.distance === 'power'
      ? ['distancePower', 'learnDistance']
      : o.distance === undefined || o.distance === 'inverse'
        ? []
        : ['distanceScale', 'learnDistance'];
  const wrong = (['distancePower', 'distanceScale', 'learnDistance'] as const).find(
    (k) => o[k] !== undefined && !uses.includes(k),
  );
  if (wrong) {
    const what =
      wrong === 'distancePower'
        ? "the 'power' kernel"
        : wrong === 'distanceScale'
          ? "the 'exponential' and 'gaussian' kernels"
          : 'the power, exponential and gaussian kernels';
    const kernel = o.distance ?? 'inverse (the default)';
    throw new LabValidationError(`model.${wrong} applies only to ${what}, but model.distance is ${kernel}`, {
      field: `model.${wrong}`,
    });
  }
  const learnDistance = o.learnDistance ?? false;
  if (o.distance === undefined) return {};
  if (o.distance === 'inverse') return { distance: o.distance };
  if (o.distance === 'power')
    return { distance: o.distance, distancePower: o.distancePower ?? DISTANCE_DEFAULTS.power, learnDistance };
  return { distance: o.distance, distanceScale: o.distanceScale ?? DISTANCE_DEFAULTS.scale, learnDistance };
}

const SpatialSchema = v.pipe(
  spatialFields,
  v.transform((o) => {
    const d = SPATIAL_DEFAULTS;
    const zMode = o.zMode ?? d.zMode;
    return {
      kind: o.kind,
      layers: o.layers,
      dim: o.dim ?? d.dim,
      zMode,
      inhibitionSteepness: o.inhibitionSteepness ?? d.inhibitionSteepness,
      distanceEpsilon: o.distanceEpsilon ?? defaultDistanceEpsilon(zMode),
      initSpread: o.initSpread ?? defaultInitSpread(o.layers),
      initInhibition: o.initInhibition ?? d.initInhibition,
      hiddenActivation: o.hiddenActivation ?? d.hiddenActivation,
      ...distanceFields(o),
      ...(o.spiking ? { spiking: o.spiking } : {}),
    };
  }),
);

/** A plain fully connected MLP baseline (with `spiking`, a spiking dense baseline). */
const DenseSchema = v.pipe(
  record({
    kind: v.literal('dense'),
    layers: LayersSchema,
    hiddenActivation: v.optional(oneOf(ACTIVATIONS)),
    spiking: spikingField,
  }),
  v.transform((o) => ({
    kind: o.kind,
    layers: o.layers,
    hiddenActivation: o.hiddenActivation ?? SPATIAL_DEFAULTS.hiddenActivation,
    ...(o.spiking ? { spiking: o.spiking } : {}),
  })),
);

export const ModelSchema = v.variant('kind', [SpatialSchema, DenseSchema], (issue) =>
  issue.input === undefined ? ' is required' : ` must be one of 'spatial', 'dense', got ${JSON.stringify(issue.input)}`,
);
export type SpatialModelSpec = v.InferOutput<typeof SpatialSchema>;
export type DenseModelSpec = v.InferOutput<typeof DenseSchema>;
export type ModelSpec = SpatialModelSpec | DenseModelSpec;

/** Which data set a run trains on. `name` is 'mnist', 'fashion-mnist' or a folder of IDX files. */
export const DatasetSchema = record({
  name: text(4096, true),
  /** use only the first N training images (default: all) */
  trainSize: v.optional(int(1)),
  /** use only the first N test images (default: all) */
  testSize: v.optional(int(1)),
});
export type DatasetSpec = v.InferOutput<typeof DatasetSchema>;

const trainingFields = record({
  epochs: int(1, LIMITS.maxEpochs),
  batchSize: int(1, LIMITS.maxBatch),
  learningRate: num({ above: 0 }),
  /** seeds initialisation and shuffling; the same seed and backend give identical metrics */
  seed: num({ integer: true }),
  /**
   * lambda of the wiring cost lambda * sum_l sum_ij |w_ij| d_ij added to the loss (absent or 0: none).
   * With the paper's inverse kernel |w| d = |mask_i| exactly, so the cost then ignores positions.
   */
  wiringCost: v.optional(num({ min: 0 })),
});
export const TrainingSchema = v.pipe(
  trainingFields,
  v.transform(({ wiringCost, ...rest }) => ({ ...rest, ...(wiringCost ? { wiringCost } : {}) })),
);
export type TrainingSpec = v.InferOutput<typeof TrainingSchema>;

/**
 * Magnitude pruning during training (the paper's mode (b)): at every forward pass the connections
 * with the smallest |w| (for a spatial network: the longest, |w| = 1/d) are removed.
 */
export const PruningSchema = v.pipe(
  record({
    /** fraction of connections removed, 0 <= rate < 1 */
    rate: num({ min: 0, below: 1 }),
    /** rank all connections together ('global', default) or each layer on its own ('per-layer') */
    scope: v.optional(oneOf(PRUNE_SCOPES), 'global'),
    /** 'constant': the full rate from the first step (the paper's); 'gradual': ramps linearly from 0 over rampEpochs */
    schedule: v.optional(oneOf(PRUNE_SCHEDULES), 'constant'),
    /** epochs of the gradual ramp (default: half the training) */
    rampEpochs: v.optional(int(1)),
    /** ranking of spatial connections: 'length' (default, the paper's: longest first) or 'weight' (true |w|, mask included) */
    rank: v.optional(oneOf(PRUNE_RANKS)),
  }),
  v.transform(({ rate, scope, schedule, rampEpochs, rank }) => ({
    rate,
    scope,
    schedule,
    ...(rampEpochs === undefined ? {} : { rampEpochs }),
    ...(rank === undefined ? {} : { rank }),
  })),
);
export type PruningConfig = v.InferOutput<typeof PruningSchema>;

/** Everything needed to re-run a run exactly. Stored verbatim with every run. */
export const RunConfigSchema = v.pipe(
  record({
    name: v.optional(text(200)),
    /** the preset the config was built from, if any (informational) */
    preset: v.optional(text(100)),
    model: ModelSchema,
    dataset: DatasetSchema,
    training: TrainingSchema,
    kernel: v.optional(oneOf(KERNELS), 'simd'),
    /** store a position snapshot every N epochs (default 1); the first (epoch 0) and last are always kept */
    snapshotEvery: v.optional(int(1), 1),
    /** keep at most this many snapshots per run, thinned evenly, first and last kept (absent: 200; no default written) */
    maxSnapshots: v.optional(int(2, 1_000_000)),
    /** prune while training (absent or null: no pruning) */
    pruning: v.optional(
      v.union([
        v.pipe(
          v.null(),
          v.transform(() => undefined),
        ),
        PruningSchema,
      ]),
    ),
  }),
  v.transform(({ name, preset, pruning, maxSnapshots, ...rest }) => {
    if (rest.training.wiringCost && rest.model.kind !== 'spatial') {
      throw new LabValidationError('training.wiringCost needs a spatial model (dense connections have no length)', {
        field: 'training.wiringCost',
      });
    }
    return {
      ...(name ? { name } : {}),
      ...(preset ? { preset } : {}),
      ...rest,
      ...(maxSnapshots === undefined ? {} : { maxSnapshots }),
      ...(pruning ? { pruning } : {}),
    };
  }),
);
export type RunConfig = v.InferOutput<typeof RunConfigSchema>;

/**
 * Check an untrusted value and return a complete, normalised RunConfig (defaults filled in).
 * @throws LabValidationError naming the offending field (dotted path, e.g. "training.epochs")
 */
export function parseRunConfig(raw: unknown): RunConfig {
  return parseOrThrow(RunConfigSchema, raw, '', 'config');
}
