/**
 * Validation of complete run configurations coming from anywhere untrusted
 * (JSON config files, IPC from the renderer, HTTP). Optional model fields get their documented defaults.
 */
import type { DenseModelSpec, HiddenActivation, ModelSpec, SpatialModelSpec, SpikingSpec, ZMode } from '../../shared/model-spec';
import type { DatasetSpec, PruningConfig, RunConfig, SpatialKernelName, TrainingSpec } from '../../shared/run-config';
import { defaultDistanceEpsilon, defaultInitSpread, SPATIAL_DEFAULTS } from '../model/presets';
import { ConfigError } from './errors';
import { validateSpiking } from './validate-spiking';
import { validateDistance } from './validate-distance';
import {
  asObject,
  checkKeys,
  checkNumber,
  enumField,
  numberField,
  optionalNumber,
  show,
  stringField,
  type Obj,
} from './fields';

export const Z_MODES: readonly ZMode[] = ['fixed-gap', 'learned-gap', 'relaxed'];
export const ACTIVATIONS: readonly HiddenActivation[] = ['relu', 'tanh', 'sigmoid'];
export const KERNELS: readonly SpatialKernelName[] = ['fused', 'tfjs', 'simd'];
export const MODEL_KINDS = ['spatial', 'dense'] as const;

/** Bounds that keep a config sane (and a typo from allocating gigabytes). */
export const LIMITS = { maxNeurons: 100_000, minDim: 2, maxDim: 64, maxEpochs: 1_000_000, maxBatch: 1_000_000 };

const SPATIAL_KEYS = [
  'kind',
  'layers',
  'dim',
  'zMode',
  'inhibitionSteepness',
  'distanceEpsilon',
  'initSpread',
  'initInhibition',
  'hiddenActivation',
  'spiking',
  'distance',
  'distancePower',
  'distanceScale',
  'learnDistance',
];
const DENSE_KEYS = ['kind', 'layers', 'hiddenActivation', 'spiking'];
const TOP_KEYS = ['name', 'preset', 'model', 'dataset', 'training', 'kernel', 'snapshotEvery', 'maxSnapshots', 'pruning'];

/**
 * Check an untrusted value and return a complete, normalised RunConfig.
 * @throws ConfigError naming the offending field (dotted path, e.g. "training.epochs")
 */
export function validateRunConfig(raw: unknown): RunConfig {
  const o = asObject(raw, 'config');
  checkKeys(o, TOP_KEYS, '');
  const config: RunConfig = {
    model: validateModel(o.model),
    dataset: validateDataset(o.dataset),
    training: validateTraining(o.training),
    kernel: enumField(o, 'kernel', '', KERNELS, 'simd'),
    snapshotEvery: numberField(o, 'snapshotEvery', '', { integer: true, min: 1 }, 1),
  };
  if (o.pruning !== undefined && o.pruning !== null) config.pruning = validatePruning(o.pruning);
  if (config.training.wiringCost && config.model.kind !== 'spatial') {
    throw new ConfigError('training.wiringCost needs a spatial model (dense connections have no length)', {
      field: 'training.wiringCost',
    });
  }
  // optional, no default written: configs stored before it existed stay equal to new ones
  const maxSnapshots = optionalNumber(o, 'maxSnapshots', '', { integer: true, min: 2, max: 1_000_000 });
  if (maxSnapshots !== undefined) config.maxSnapshots = maxSnapshots;
  const name = stringField(o, 'name', '', false, 200);
  const preset = stringField(o, 'preset', '', false, 100);
  if (name !== undefined && name !== '') config.name = name;
  if (preset !== undefined && preset !== '') config.preset = preset;
  return config;
}

/** Pruning during training: rate in [0, 1), scope and schedule with their defaults. */
export function validatePruning(raw: unknown): PruningConfig {
  const o = asObject(raw, 'pruning');
  checkKeys(o, ['rate', 'scope', 'schedule', 'rampEpochs', 'rank'], 'pruning');
  const rate = numberField(o, 'rate', 'pruning', { min: 0 });
  if (rate >= 1) throw new ConfigError(`pruning.rate must be below 1 (a fraction of connections), got ${rate}`, { field: 'pruning.rate' });
  const p: PruningConfig = {
    rate,
    scope: enumField(o, 'scope', 'pruning', ['global', 'per-layer'] as const, 'global'),
    schedule: enumField(o, 'schedule', 'pruning', ['constant', 'gradual'] as const, 'constant'),
  };
  const ramp = optionalNumber(o, 'rampEpochs', 'pruning', { integer: true, min: 1 });
  if (ramp !== undefined) p.rampEpochs = ramp;
  if (o.rank !== undefined) p.rank = enumField(o, 'rank', 'pruning', ['length', 'weight'] as const);
  return p;
}

/** Check an untrusted model spec (spatial or dense); optional fields get defaults. */
export function validateModel(raw: unknown): ModelSpec {
  const o = asObject(raw, 'model');
  const kind = enumField(o, 'kind', 'model', MODEL_KINDS);
  return kind === 'dense' ? validateDense(o) : validateSpatial(o);
}

/** `layers` must be an array of at least two positive integers. */
export function validateLayers(v: unknown, path = 'model.layers'): number[] {
  if (!Array.isArray(v) || v.length < 2) {
    throw new ConfigError(`${path} must be a list of at least 2 positive integers (input, ..., output), got ${show(v)}`, {
      field: path,
    });
  }
  return v.map((n, i) => checkNumber(n, `${path}[${i}]`, { integer: true, min: 1, max: LIMITS.maxNeurons }));
}

function validateDense(o: Obj): DenseModelSpec {
  checkKeys(o, DENSE_KEYS, 'model');
  return {
    kind: 'dense',
    layers: validateLayers(o.layers),
    hiddenActivation: enumField(o, 'hiddenActivation', 'model', ACTIVATIONS, 'relu'),
    ...withSpiking(o),
  };
}

/** `{ spiking }` when the model spikes (validated, defaults filled in), else nothing. */
function withSpiking(o: Obj): { spiking?: SpikingSpec } {
  const spiking = validateSpiking(o.spiking);
  return spiking ? { spiking } : {};
}

function validateSpatial(o: Obj): SpatialModelSpec {
  checkKeys(o, SPATIAL_KEYS, 'model');
  const zMode = enumField(o, 'zMode', 'model', Z_MODES, SPATIAL_DEFAULTS.zMode);
  const d = SPATIAL_DEFAULTS;
  const layers = validateLayers(o.layers);
  return {
    kind: 'spatial',
    layers,
    dim: numberField(o, 'dim', 'model', { integer: true, min: LIMITS.minDim, max: LIMITS.maxDim }, d.dim),
    zMode,
    inhibitionSteepness: numberField(o, 'inhibitionSteepness', 'model', { above: 0 }, d.inhibitionSteepness),
    distanceEpsilon: numberField(o, 'distanceEpsilon', 'model', { min: 0 }, defaultDistanceEpsilon(zMode)),
    initSpread: numberField(o, 'initSpread', 'model', { above: 0 }, defaultInitSpread(layers)),
    initInhibition: numberField(o, 'initInhibition', 'model', { min: 0 }, d.initInhibition),
    hiddenActivation: enumField(o, 'hiddenActivation', 'model', ACTIVATIONS, d.hiddenActivation),
    ...validateDistance(o),
    ...withSpiking(o),
  };
}

function validateDataset(raw: unknown): DatasetSpec {
  const o = asObject(raw, 'dataset');
  checkKeys(o, ['name', 'trainSize', 'testSize'], 'dataset');
  const spec: DatasetSpec = { name: stringField(o, 'name', 'dataset', true, 4096) as string };
  const trainSize = optionalNumber(o, 'trainSize', 'dataset', { integer: true, min: 1 });
  const testSize = optionalNumber(o, 'testSize', 'dataset', { integer: true, min: 1 });
  if (trainSize !== undefined) spec.trainSize = trainSize;
  if (testSize !== undefined) spec.testSize = testSize;
  return spec;
}

function validateTraining(raw: unknown): TrainingSpec {
  const o = asObject(raw, 'training');
  checkKeys(o, ['epochs', 'batchSize', 'learningRate', 'seed', 'wiringCost'], 'training');
  const wiringCost = optionalNumber(o, 'wiringCost', 'training', { min: 0 });
  return {
    epochs: numberField(o, 'epochs', 'training', { integer: true, min: 1, max: LIMITS.maxEpochs }),
    batchSize: numberField(o, 'batchSize', 'training', { integer: true, min: 1, max: LIMITS.maxBatch }),
    learningRate: numberField(o, 'learningRate', 'training', { above: 0 }),
    seed: numberField(o, 'seed', 'training', { integer: true }),
    ...(wiringCost ? { wiringCost } : {}),
  };
}
