/**
 * The New Run form as plain strings, and its conversion to a RunConfig with per-field messages.
 * The client-side checks mirror the engine's (src/core/config/validate.ts) so most mistakes show
 * while typing; the server's `checkConfig` stays the authority and its message is mapped back to a
 * field with `fieldOfMessage`.
 */
import type { HiddenActivation, SpikingSpec, ZMode } from '../../../shared/model-spec';
import type { RunConfig, SpatialKernelName } from '../../../shared/run-config';
import { defaultSurrogateSlope, SPIKING_DEFAULTS } from '../../../shared/spiking-defaults';

export const Z_MODES: readonly ZMode[] = ['fixed-gap', 'learned-gap', 'relaxed'];
export const ACTIVATIONS: readonly HiddenActivation[] = ['relu', 'tanh', 'sigmoid'];
export const KERNELS: readonly SpatialKernelName[] = ['fused', 'tfjs', 'simd'];
/** The dataset select's value for "a folder of IDX files" (the path goes into `datasetPath`). */
export const FOLDER_DATASET = '__folder__';
const MAX_NEURONS = 100_000;
export const RESETS: readonly SpikingSpec['reset'][] = ['subtract', 'zero'];
export const SURROGATES: readonly SpikingSpec['surrogate'][] = ['atan', 'fast-sigmoid'];
export const ENCODINGS: readonly SpikingSpec['encoding'][] = ['direct', 'rate'];
export const DECODINGS: readonly SpikingSpec['decoding'][] = ['membrane-sum', 'spike-count'];
/** mirrors MAX_TIME_STEPS of src/core/config/validate-spiking.ts */
const MAX_TIME_STEPS = 1000;

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

/** The form field a server message is about, when it names one (messages start with the path). */
export function fieldOfMessage(message: string): FieldKey | undefined {
  for (const [path, key] of FIELD_PATHS) {
    if (new RegExp(`(^|[\\s'"(])${path.replace(/\./g, '\\.')}\\b`).test(message)) {
      return key;
    }
  }
  if (/\b(input|output) layer\b/i.test(message)) return 'layers';
  if (/\bdata ?set\b|\bIDX\b/i.test(message)) return 'dataset';
  return undefined;
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

type SpikingFields = Pick<RunForm, 'spiking' | 'timeSteps' | 'beta' | 'threshold' | 'learnBeta' | 'learnThreshold' | 'reset' | 'surrogate' | 'surrogateSlope' | 'encoding' | 'decoding'>;

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
export function defaultEpsilon(zMode: ZMode): number {
  return zMode === 'relaxed' ? 0.05 : 0;
}

interface NumberRule {
  integer?: boolean;
  min?: number;
  above?: number;
  max?: number;
  optional?: boolean;
}

/** Parses one numeric field; returns the number or records a message. */
function readNumber(form: RunForm, key: FieldKey, rule: NumberRule, errors: FieldErrors): number | undefined {
  const raw = String(form[key]).trim();
  if (raw === '') {
    if (!rule.optional) errors[key] = 'required';
    return undefined;
  }
  const v = Number(raw);
  const bad =
    !Number.isFinite(v) ||
    (rule.integer && !Number.isSafeInteger(v)) ||
    (rule.min !== undefined && v < rule.min) ||
    (rule.above !== undefined && v <= rule.above) ||
    (rule.max !== undefined && v > rule.max);
  if (bad) errors[key] = describe(rule);
  return bad ? undefined : v;
}

function describe(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  const n = (x: number): string => x.toLocaleString('en-US');
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${n(rule.min)} to ${n(rule.max)}`;
  if (rule.integer && rule.min === 1) return 'a positive integer';
  if (rule.above !== undefined) return `${kind} > ${rule.above}`;
  if (rule.min !== undefined) return `${kind} ≥ ${rule.min}`;
  return kind;
}

/** "784, 128,10" -> [784, 128, 10], or a message. */
export function parseLayers(text: string): number[] | string {
  // "784-128-10" (how the lab prints layers) is accepted too; a minus sign after a comma is not a separator
  const parts = text.replace(/(\d)\s*-\s*(?=\d)/g, '$1,').split(/[\s,;]+/).filter(Boolean);
  if (parts.length < 2) return 'at least 2 layers: input, …, output (e.g. 784,128,10)';
  const layers = parts.map(Number);
  const bad = layers.findIndex((n) => !Number.isSafeInteger(n) || n < 1 || n > MAX_NEURONS);
  if (bad >= 0) return `layer ${bad + 1} ("${parts[bad]}") must be an integer from 1 to ${MAX_NEURONS.toLocaleString('en-US')}`;
  return layers;
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

export interface FormResult {
  config?: RunConfig;
  errors: FieldErrors;
}

/** Checks every field and, when all pass, builds the RunConfig. */
export function formToConfig(form: RunForm): FormResult {
  const errors: FieldErrors = {};
  const layers = parseLayers(form.layers);
  if (typeof layers === 'string') errors.layers = layers;
  const model = readModel(form, Array.isArray(layers) ? layers : [], errors);
  const datasetName = form.dataset === FOLDER_DATASET ? form.datasetPath.trim() : form.dataset;
  if (!datasetName) errors[form.dataset === FOLDER_DATASET ? 'datasetPath' : 'dataset'] = 'choose a data set';
  const trainSize = readNumber(form, 'trainSize', { integer: true, min: 1, optional: true }, errors);
  const testSize = readNumber(form, 'testSize', { integer: true, min: 1, optional: true }, errors);
  const epochs = readNumber(form, 'epochs', { integer: true, min: 1, max: 1_000_000 }, errors);
  const batchSize = readNumber(form, 'batchSize', { integer: true, min: 1, max: 1_000_000 }, errors);
  const learningRate = readNumber(form, 'learningRate', { above: 0 }, errors);
  const seed = readNumber(form, 'seed', { integer: true }, errors);
  const snapshotEvery = readNumber(form, 'snapshotEvery', { integer: true, min: 1 }, errors);
  if (form.name.length > 200) errors.name = 'at most 200 characters';
  if (Object.keys(errors).length > 0 || !model) return { errors };
  const config: RunConfig = {
    model,
    dataset: { name: datasetName },
    training: { epochs: epochs!, batchSize: batchSize!, learningRate: learningRate!, seed: seed! },
    kernel: form.kernel,
    snapshotEvery: snapshotEvery!,
  };
  if (trainSize !== undefined) config.dataset.trainSize = trainSize;
  if (testSize !== undefined) config.dataset.testSize = testSize;
  if (form.preset) config.preset = form.preset;
  return { config, errors };
}

/** `{ spiking }` when the toggle is on and every spiking field passes (mirrors validate-spiking.ts). */
function readSpiking(form: RunForm, errors: FieldErrors): { spiking?: SpikingSpec } | undefined {
  if (!form.spiking) return {};
  const timeSteps = readNumber(form, 'timeSteps', { integer: true, min: 1, max: MAX_TIME_STEPS }, errors);
  const beta = readNumber(form, 'beta', { min: 0, max: 1 }, errors);
  const threshold = readNumber(form, 'threshold', { above: 0 }, errors);
  const surrogateSlope = readNumber(form, 'surrogateSlope', { above: 0 }, errors);
  if (timeSteps === undefined || beta === undefined || threshold === undefined || surrogateSlope === undefined) return undefined;
  const { learnBeta, learnThreshold, reset, surrogate, encoding, decoding } = form;
  return { spiking: { timeSteps, beta, threshold, learnBeta, learnThreshold, reset, surrogate, surrogateSlope, encoding, decoding } };
}

function readModel(form: RunForm, layers: number[], errors: FieldErrors): RunConfig['model'] | undefined {
  const spiking = readSpiking(form, errors);
  if (form.kind === 'dense') return spiking && { kind: 'dense', layers, hiddenActivation: form.hiddenActivation, ...spiking };
  const dim = readNumber(form, 'dim', { integer: true, min: 2, max: 64 }, errors);
  const inhibitionSteepness = readNumber(form, 'inhibitionSteepness', { above: 0 }, errors);
  const distanceEpsilon = readNumber(form, 'distanceEpsilon', { min: 0 }, errors);
  const initSpread = readNumber(form, 'initSpread', { above: 0 }, errors);
  const initInhibition = readNumber(form, 'initInhibition', { min: 0 }, errors);
  const values = [dim, inhibitionSteepness, distanceEpsilon, initSpread, initInhibition];
  if (values.some((v) => v === undefined) || !spiking) return undefined;
  return {
    kind: 'spatial',
    layers,
    dim: dim!,
    zMode: form.zMode,
    inhibitionSteepness: inhibitionSteepness!,
    distanceEpsilon: distanceEpsilon!,
    initSpread: initSpread!,
    initInhibition: initInhibition!,
    hiddenActivation: form.hiddenActivation,
    ...spiking,
  };
}
