/**
 * The New Run form as plain strings, and its conversion to a RunConfig with per-field messages.
 * The form is checked by the config schema itself (src/shared/schema/run-config.ts), so mistakes
 * show while typing with the engine's own words; the server's `checkConfig` stays the authority
 * (the data set, the model's fit to it) and its error's field path is mapped back with `fieldOfPath`.
 */
import { defaultDistanceEpsilon, LIMITS } from '../../../shared/model-defaults';
import type { HiddenActivation, SpikingSpec, ZMode } from '../../../shared/model-spec';
import type { RunConfig, SpatialKernelName } from '../../../shared/run-config';
import { problemsOf } from '../../../shared/schema/fields';
import { parseRunConfig, RunConfigSchema } from '../../../shared/schema/run-config';
import { defaultSurrogateSlope, SPIKING_DEFAULTS } from '../../../shared/spiking-defaults';

export { ACTIVATIONS, DECODINGS, ENCODINGS, KERNELS, RESETS, SURROGATES, Z_MODES } from '../../../shared/schema/enums';
/** The dataset select's value for "a folder of IDX files" (the path goes into `datasetPath`). */
export const FOLDER_DATASET = '__folder__';

export { defaultSurrogateSlope, SPIKING_DEFAULTS };

export interface RunForm {
  preset: string;
  kind: 'spatial' | 'dense';
  layers: string;
  dim: string;
  zMode: ZMode;
  inhibitionSteepness: string;
  distanceEpsilon: string;
  initSpread: string;
  initInhibition: string;
  hiddenActivation: HiddenActivation;
  /** the model is a spiking (LIF) network: the fields below become `model.spiking` */
  spiking: boolean;
  timeSteps: string;
  beta: string;
  threshold: string;
  learnBeta: boolean;
  learnThreshold: boolean;
  reset: SpikingSpec['reset'];
  surrogate: SpikingSpec['surrogate'];
  surrogateSlope: string;
  encoding: SpikingSpec['encoding'];
  decoding: SpikingSpec['decoding'];
  dataset: string;
  datasetPath: string;
  trainSize: string;
  testSize: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  seed: string;
  kernel: SpatialKernelName;
  snapshotEvery: string;
  name: string;
  tags: string;
}

export type FieldKey = keyof RunForm;
export type FieldErrors = Partial<Record<FieldKey, string>>;

/** RunConfig dotted path -> form field. Longest paths first so `model.layers[1]` finds `layers`. */
const FIELD_PATHS: [string, FieldKey][] = (
  [
    ['model.inhibitionSteepness', 'inhibitionSteepness'],
    ['model.distanceEpsilon', 'distanceEpsilon'],
    ['model.hiddenActivation', 'hiddenActivation'],
    ['model.initInhibition', 'initInhibition'],
    ['model.initSpread', 'initSpread'],
    ['model.layers', 'layers'],
    ['model.zMode', 'zMode'],
    ['model.kind', 'kind'],
    ['model.spiking', 'spiking'],
    ['model.spiking.timeSteps', 'timeSteps'],
    ['model.spiking.beta', 'beta'],
    ['model.spiking.threshold', 'threshold'],
    ['model.spiking.learnBeta', 'learnBeta'],
    ['model.spiking.learnThreshold', 'learnThreshold'],
    ['model.spiking.reset', 'reset'],
    ['model.spiking.surrogate', 'surrogate'],
    ['model.spiking.surrogateSlope', 'surrogateSlope'],
    ['model.spiking.encoding', 'encoding'],
    ['model.spiking.decoding', 'decoding'],
    ['model.dim', 'dim'],
    ['dataset.trainSize', 'trainSize'],
    ['dataset.testSize', 'testSize'],
    ['dataset.name', 'dataset'],
    ['training.learningRate', 'learningRate'],
    ['training.batchSize', 'batchSize'],
    ['training.epochs', 'epochs'],
    ['training.seed', 'seed'],
    ['snapshotEvery', 'snapshotEvery'],
    ['kernel', 'kernel'],
  ] as [string, FieldKey][]
).sort((a, b) => b[0].length - a[0].length);

const BUILTIN = ['mnist', 'fashion-mnist'];

/**
 * The form field a server error is about, from the dotted path it carries (LabValidationError's
 * `field`, e.g. "model.layers[1]" -> layers): the longest known prefix wins.
 */
export function fieldOfPath(path: string | undefined): FieldKey | undefined {
  if (!path) return undefined;
  return FIELD_PATHS.find(
    ([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`),
  )?.[1];
}

export function configToForm(config: RunConfig): RunForm {
  const m = config.model;
  const spatial = m.kind === 'spatial' ? m : undefined;
  const builtin = BUILTIN.includes(config.dataset.name);
  return {
    preset: config.preset ?? '',
    kind: m.kind,
    layers: m.layers.join(','),
    dim: String(spatial?.dim ?? 3),
    zMode: spatial?.zMode ?? 'learned-gap',
    inhibitionSteepness: String(spatial?.inhibitionSteepness ?? 5),
    distanceEpsilon: String(spatial?.distanceEpsilon ?? 0),
    initSpread: String(spatial?.initSpread ?? 10),
    initInhibition: String(spatial?.initInhibition ?? 0.5),
    hiddenActivation: m.hiddenActivation,
    ...spikingToForm(m.spiking),
    dataset: builtin ? config.dataset.name : FOLDER_DATASET,
    datasetPath: builtin ? '' : config.dataset.name,
    trainSize: config.dataset.trainSize === undefined ? '' : String(config.dataset.trainSize),
    testSize: config.dataset.testSize === undefined ? '' : String(config.dataset.testSize),
    epochs: String(config.training.epochs),
    batchSize: String(config.training.batchSize),
    learningRate: String(config.training.learningRate),
    seed: String(config.training.seed),
    kernel: config.kernel,
    snapshotEvery: String(config.snapshotEvery),
    name: config.name ?? '',
    tags: '',
  };
}

type SpikingFields = Pick<
  RunForm,
  | 'spiking'
  | 'timeSteps'
  | 'beta'
  | 'threshold'
  | 'learnBeta'
  | 'learnThreshold'
  | 'reset'
  | 'surrogate'
  | 'surrogateSlope'
  | 'encoding'
  | 'decoding'
>;

function spikingToForm(spec: SpikingSpec | undefined): SpikingFields {
  const s = spec ?? SPIKING_DEFAULTS;
  return {
    spiking: !!spec,
    timeSteps: String(s.timeSteps),
    beta: String(s.beta),
    threshold: String(s.threshold),
    learnBeta: s.learnBeta,
    learnThreshold: s.learnThreshold,
    reset: s.reset,
    surrogate: s.surrogate,
    surrogateSlope: String(s.surrogateSlope),
    encoding: s.encoding,
    decoding: s.decoding,
  };
}

/** The softening epsilon a zMode gets by default (relaxed layers may interleave). */
export const defaultEpsilon = defaultDistanceEpsilon;

/** Form text as the schema's input: blank -> absent, else the number (NaN for junk: the schema names it). */
function numberOf(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}

/** "784, 128,10" -> [784, 128, 10], or a message. */
export function parseLayers(text: string): number[] | string {
  // "784-128-10" (how the lab prints layers) is accepted too; a minus sign after a comma is not a separator
  const parts = text
    .replace(/(\d)\s*-\s*(?=\d)/g, '$1,')
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (parts.length < 2) return 'at least 2 layers: input, …, output (e.g. 784,128,10)';
  const layers = parts.map(Number);
  const max = LIMITS.maxNeurons;
  const bad = layers.findIndex((n) => !Number.isSafeInteger(n) || n < 1 || n > max);
  if (bad >= 0) return `layer ${bad + 1} ("${parts[bad]}") must be an integer from 1 to ${max.toLocaleString('en-US')}`;
  return layers;
}

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

export interface FormResult {
  config?: RunConfig;
  errors: FieldErrors;
}

/** Number fields the form may leave blank (the config then has no such key). */
const OPTIONAL: readonly FieldKey[] = ['trainSize', 'testSize'];
const SPATIAL_NUMBERS: readonly FieldKey[] = [
  'dim',
  'inhibitionSteepness',
  'distanceEpsilon',
  'initSpread',
  'initInhibition',
];
const SPIKING_NUMBERS: readonly FieldKey[] = ['timeSteps', 'beta', 'threshold', 'surrogateSlope'];
const COMMON_NUMBERS: readonly FieldKey[] = [
  'trainSize',
  'testSize',
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'snapshotEvery',
];

/** Checks every field with the config schema and, when all pass, builds the RunConfig. */
export function formToConfig(form: RunForm): FormResult {
  const errors: FieldErrors = {};
  const layers = parseLayers(form.layers);
  if (typeof layers === 'string') errors.layers = layers;
  const datasetName = form.dataset === FOLDER_DATASET ? form.datasetPath.trim() : form.dataset;
  if (!datasetName) errors[form.dataset === FOLDER_DATASET ? 'datasetPath' : 'dataset'] = 'choose a data set';
  const shown = [
    ...COMMON_NUMBERS,
    ...(form.kind === 'spatial' ? SPATIAL_NUMBERS : []),
    ...(form.spiking ? SPIKING_NUMBERS : []),
  ];
  for (const key of shown) if (String(form[key]).trim() === '' && !OPTIONAL.includes(key)) errors[key] = 'required';
  if (form.name.length > 200) errors.name = 'at most 200 characters';
  const candidate = formCandidate(form, Array.isArray(layers) ? layers : [], datasetName);
  for (const problem of problemsOf(RunConfigSchema, candidate)) {
    const key = fieldOfPath(problem.field) ?? 'preset';
    errors[key] ??= problem.text.replace(/^[ :]\s*/, '');
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { config: parseRunConfig(candidate), errors };
}

/** The form's values as a raw config for the schema (hidden fields left out: they are not checked). */
function formCandidate(form: RunForm, layers: number[], datasetName: string): Record<string, unknown> {
  const spiking = form.spiking
    ? {
        spiking: {
          timeSteps: numberOf(form.timeSteps),
          beta: numberOf(form.beta),
          threshold: numberOf(form.threshold),
          learnBeta: form.learnBeta,
          learnThreshold: form.learnThreshold,
          reset: form.reset,
          surrogate: form.surrogate,
          surrogateSlope: numberOf(form.surrogateSlope),
          encoding: form.encoding,
          decoding: form.decoding,
        },
      }
    : {};
  const spatial =
    form.kind === 'spatial'
      ? {
          dim: numberOf(form.dim),
          zMode: form.zMode,
          inhibitionSteepness: numberOf(form.inhibitionSteepness),
          distanceEpsilon: numberOf(form.distanceEpsilon),
          initSpread: numberOf(form.initSpread),
          initInhibition: numberOf(form.initInhibition),
        }
      : {};
  return {
    ...(form.preset ? { preset: form.preset } : {}),
    model: { kind: form.kind, layers, ...spatial, hiddenActivation: form.hiddenActivation, ...spiking },
    dataset: { name: datasetName, trainSize: numberOf(form.trainSize), testSize: numberOf(form.testSize) },
    training: {
      epochs: numberOf(form.epochs),
      batchSize: numberOf(form.batchSize),
      learningRate: numberOf(form.learningRate),
      seed: numberOf(form.seed),
    },
    kernel: form.kernel,
    snapshotEvery: numberOf(form.snapshotEvery),
  };
}
