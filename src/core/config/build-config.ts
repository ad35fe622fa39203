/**
 * Build a RunConfig from a preset, a JSON config file and command-line overrides.
 * Precedence: overrides > file > preset; with nothing given the preset is 'quick'.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RunConfig } from '../../shared/run-config';
import { defaultDistanceEpsilon, presetConfig } from '../model/presets';
import { ConfigError } from './errors';
import { validateRunConfig } from './validate';
import { mergeSpiking } from './validate-spiking';

type Obj = Record<string, unknown>;

/** Values that command-line flags (or any caller) put on top of the preset and file. */
export interface ConfigOverrides {
  name?: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  layers?: number[];
  model?: string;
  dim?: number;
  zMode?: string;
  steepness?: number;
  epsilon?: number;
  kernel?: string;
  dataset?: string;
  trainSize?: number;
  testSize?: number;
  snapshotEvery?: number;
  maxSnapshots?: number;
  pruneRate?: number;
  pruneScope?: string;
  pruneSchedule?: string;
  pruneRampEpochs?: number;
  pruneRank?: string;
  wiringCost?: number;
  /** make the model spiking (all model.spiking defaults); any other spiking override implies it too */
  spiking?: boolean;
  timeSteps?: number;
  beta?: number;
  threshold?: number;
  learnBeta?: boolean;
  learnThreshold?: boolean;
  reset?: string;
  surrogate?: string;
  surrogateSlope?: number;
  encoding?: string;
  decoding?: string;
  distance?: string;
  distancePower?: number;
  distanceScale?: number;
  learnDistance?: boolean;
}

/** Which RunConfig field each override sets, and the CLI flag that carries it. */
export const OVERRIDE_FIELDS: Record<keyof ConfigOverrides, { field: string; flag: string }> = {
  name: { field: 'name', flag: '--name' },
  epochs: { field: 'training.epochs', flag: '--epochs' },
  batchSize: { field: 'training.batchSize', flag: '--batch-size' },
  learningRate: { field: 'training.learningRate', flag: '--lr' },
  seed: { field: 'training.seed', flag: '--seed' },
  layers: { field: 'model.layers', flag: '--layers' },
  model: { field: 'model.kind', flag: '--model' },
  dim: { field: 'model.dim', flag: '--dim' },
  zMode: { field: 'model.zMode', flag: '--z-mode' },
  steepness: { field: 'model.inhibitionSteepness', flag: '--steepness' },
  epsilon: { field: 'model.distanceEpsilon', flag: '--epsilon' },
  kernel: { field: 'kernel', flag: '--kernel' },
  dataset: { field: 'dataset.name', flag: '--dataset' },
  trainSize: { field: 'dataset.trainSize', flag: '--train-size' },
  testSize: { field: 'dataset.testSize', flag: '--test-size' },
  snapshotEvery: { field: 'snapshotEvery', flag: '--snapshot-every' },
  maxSnapshots: { field: 'maxSnapshots', flag: '--max-snapshots' },
  pruneRate: { field: 'pruning.rate', flag: '--prune-rate' },
  pruneScope: { field: 'pruning.scope', flag: '--prune-scope' },
  pruneSchedule: { field: 'pruning.schedule', flag: '--prune-schedule' },
  pruneRampEpochs: { field: 'pruning.rampEpochs', flag: '--prune-ramp-epochs' },
  pruneRank: { field: 'pruning.rank', flag: '--prune-rank' },
  wiringCost: { field: 'training.wiringCost', flag: '--wiring-cost' },
  timeSteps: { field: 'model.spiking.timeSteps', flag: '--time-steps' },
  beta: { field: 'model.spiking.beta', flag: '--beta' },
  threshold: { field: 'model.spiking.threshold', flag: '--threshold' },
  learnBeta: { field: 'model.spiking.learnBeta', flag: '--learn-beta' },
  learnThreshold: { field: 'model.spiking.learnThreshold', flag: '--learn-threshold' },
  reset: { field: 'model.spiking.reset', flag: '--reset' },
  surrogate: { field: 'model.spiking.surrogate', flag: '--surrogate' },
  surrogateSlope: { field: 'model.spiking.surrogateSlope', flag: '--surrogate-slope' },
  encoding: { field: 'model.spiking.encoding', flag: '--encoding' },
  decoding: { field: 'model.spiking.decoding', flag: '--decoding' },
  spiking: { field: 'model.spiking', flag: '--spiking' },
  distance: { field: 'model.distance', flag: '--distance' },
  distancePower: { field: 'model.distancePower', flag: '--distance-power' },
  distanceScale: { field: 'model.distanceScale', flag: '--distance-scale' },
  learnDistance: { field: 'model.learnDistance', flag: '--learn-distance' },
};

export interface BuildConfigOptions {
  /** preset name; defaults to the file's "preset" field, then 'quick' */
  preset?: string;
  /** path of a JSON file holding a (partial) RunConfig */
  configFile?: string;
  overrides?: ConfigOverrides;
  /** folder that relative data set paths given as overrides resolve against (default: process.cwd()) */
  cwd?: string;
}

const BUILTIN_DATASETS = ['mnist', 'fashion-mnist'];

/**
 * Merge preset, file and overrides, then validate the result.
 * @throws ConfigError; `flag` is set when a command-line value is at fault, `file` when the file is
 */
export function buildRunConfig(opts: BuildConfigOptions = {}): RunConfig {
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.configFile ? readConfigFile(resolve(cwd, opts.configFile)) : undefined;
  const presetName = opts.preset ?? (typeof file?.preset === 'string' ? file.preset : 'quick');
  const fileName = opts.configFile ? resolve(cwd, opts.configFile) : undefined;
  let merged = loadPreset(
    presetName,
    opts.preset !== undefined ? 'flag' : file?.preset !== undefined ? fileName : undefined,
  ) as unknown as Obj;
  if (file && fileName) merged = mergeConfig(merged, withDatasetPath(file, dirname(fileName)));
  const over = overridesToPartial(opts.overrides ?? {}, cwd);
  merged = mergeConfig(merged, over);
  try {
    return validateRunConfig(merged);
  } catch (err) {
    throw attributeError(err, opts, file);
  }
}

/** The preset's config; `source` is 'flag', the config file that named it, or undefined (the default). */
function loadPreset(name: string, source: string | undefined): RunConfig {
  try {
    return presetConfig(name);
  } catch (err) {
    const message = (err as Error).message;
    if (source === 'flag') throw new ConfigError(`invalid --preset: ${message}`, { field: 'preset', flag: '--preset' });
    if (source) throw new ConfigError(`config file ${source}: preset: ${message}`, { field: 'preset', file: source });
    throw new ConfigError(message, { field: 'preset' });
  }
}

/**
 * Read and parse a JSON config file.
 * @throws ConfigError naming the file and the problem (missing, unreadable, invalid JSON, not an object)
 */
export function readConfigFile(path: string): Obj {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (err as Error).message;
    throw new ConfigError(`config file ${path}: cannot read it (${why})`, { file: path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path}: invalid JSON: ${jsonProblem(err as Error, text)}`, { file: path });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `config file ${path}: must hold a JSON object (a RunConfig), got ${Array.isArray(value) ? 'an array' : typeof value}`,
      {
        file: path,
      },
    );
  }
  return value as Obj;
}

/** JSON.parse's message plus line:column when it reports a position. */
function jsonProblem(err: Error, text: string): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return err.message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `${err.message} (line ${line}, column ${col})`;
}

/**
 * Deep-merge a partial config over a base. Switching model kind starts the model from scratch;
 * switching zMode without an explicit epsilon re-derives the default epsilon.
 */
export function mergeConfig(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base, ...over };
  for (const key of ['dataset', 'training'] as const) {
    if (isObj(base[key]) && isObj(over[key])) out[key] = { ...base[key], ...over[key] };
  }
  if (isObj(base.model) && isObj(over.model)) out.model = mergeModel(base.model, over.model);
  return out;
}

function mergeModel(base: Obj, over: Obj): Obj {
  // model.spiking merges field by field and survives a switch of model kind (both kinds can spike)
  const spiking = mergeSpiking(base.spiking, over.spiking);
  const withSpiking = (o: Obj): Obj => (spiking === undefined ? o : { ...o, spiking });
  if (over.kind !== undefined && over.kind !== base.kind) return withSpiking({ layers: base.layers, ...over });
  const out: Obj = withSpiking({ ...base, ...over });
  const zChanged = over.zMode !== undefined && over.zMode !== base.zMode;
  const epsWasDefault =
    typeof base.zMode === 'string' && base.distanceEpsilon === defaultDistanceEpsilon(base.zMode as never);
  if (zChanged && over.distanceEpsilon === undefined && epsWasDefault) delete out.distanceEpsilon;
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turn flat overrides into a partial RunConfig object. */
function overridesToPartial(o: ConfigOverrides, cwd: string): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(o) as [string, unknown][]) {
    if (value === undefined) continue;
    if (key === 'spiking') {
      if (value === true) ((out.model ??= {}) as Obj).spiking ??= {}; // defaults; never overwrite set fields
      continue;
    }
    const { field } = OVERRIDE_FIELDS[key as keyof ConfigOverrides];
    const v = key === 'dataset' ? datasetPath(value as string, cwd) : value;
    setPath(out, field.split('.'), v);
  }
  return out;
}

function setPath(target: Obj, parts: string[], value: unknown): void {
  let o = target;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Obj;
  o[parts[parts.length - 1]] = value;
}

/** Built-in data set names stay as they are; folders become absolute so runs stay reproducible. */
export function datasetPath(name: string, base: string): string {
  if (BUILTIN_DATASETS.includes(name) || name.trim() === '' || isAbsolute(name)) return name;
  return resolve(base, name);
}

function withDatasetPath(file: Obj, dir: string): Obj {
  if (!isObj(file.dataset) || typeof file.dataset.name !== 'string') return file;
  return { ...file, dataset: { ...file.dataset, name: datasetPath(file.dataset.name, dir) } };
}

/** Name the flag or the file that supplied a bad field. */
function attributeError(err: unknown, opts: BuildConfigOptions, file: Obj | undefined): unknown {
  if (!(err instanceof ConfigError)) return err;
  // most specific field first: a bad model.spiking.beta is --beta's fault, not --spiking's
  const given = Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined);
  const fieldOf = (key: string): string => OVERRIDE_FIELDS[key as keyof ConfigOverrides].field;
  for (const [key] of given.sort(([a], [b]) => fieldOf(b).length - fieldOf(a).length)) {
    const { field, flag } = OVERRIDE_FIELDS[key as keyof ConfigOverrides];
    if (err.field === field || err.field.startsWith(`${field}.`) || err.field.startsWith(`${field}[`)) {
      const message = /unknown field/.test(err.message)
        ? `${flag} does not apply to this model kind (${err.message})`
        : `invalid ${flag}: ${err.message}`;
      return new ConfigError(message, { field: err.field, flag });
    }
  }
  if (file && opts.configFile) {
    return new ConfigError(`config file ${resolve(opts.cwd ?? process.cwd(), opts.configFile)}: ${err.message}`, {
      field: err.field,
      file: opts.configFile,
    });
  }
  return err;
}
