/**
 * Sweep specs: parsing (JSON or YAML), checking, and expansion into a plan of trainings.
 *
 * Plan = (grid points) x (random draws) x (seeds), in that nesting order. Every planned config goes
 * through the engine's own config validation (`validateRunConfig`), so a bad path or value is refused
 * before anything runs, with the spec entry that set it named.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RunConfig } from '../../shared/run-config';
import { parseOrThrow } from '../../shared/schema/fields';
import { SweepSpecSchema } from '../../shared/schema/sweep';
import type { PlannedTraining, SweepDistribution, SweepSpec } from '../../shared/sweep';
import { ConfigError, datasetPath, mergeConfig, validateRunConfig } from '../config/index';
import { presetConfig } from '../model/presets';
import { configKey } from '../study/configs';
import { Rng } from '../util/rng';

type Obj = Record<string, unknown>;

/** Plans larger than this are refused (a typo in a grid should not queue a million trainings). */
export const MAX_PLAN_SIZE = 10_000;

/** A checked spec and the trainings it expands to (duplicates removed, first kept). */
export interface SweepPlan {
  spec: SweepSpec;
  trainings: PlannedTraining[];
}

/**
 * Reads a spec file: `.yaml`/`.yml` as YAML, anything else as JSON.
 * @throws ConfigError naming the file and the problem
 */
export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `sweep spec ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : (err as Error).message})`,
      { file },
    );
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let value: unknown;
  try {
    value = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `sweep spec ${file}: invalid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
      { file },
    );
  }
  if (!isObj(value)) throw new ConfigError(`sweep spec ${file}: must hold an object (a sweep spec)`, { file });
  return withDatasetPaths(value as SweepSpec, dirname(resolve(file)));
}

/**
 * Checks a spec and expands it into trainings, each validated as a complete RunConfig.
 * @throws ConfigError whose `field` is the spec entry at fault, e.g. `grid["training.learningRate"][1]`
 */
export function planSweep(raw: unknown): SweepPlan {
  const spec = checkShape(raw);
  const base = baseConfig(spec);
  const fixed = assignments(spec.set ?? {}, 'set');
  const points = gridPoints(spec.grid ?? {});
  const draws = randomDraws(spec);
  const seeds = spec.seeds ?? [undefined];
  const size = points.length * draws.length * seeds.length;
  if (size > MAX_PLAN_SIZE)
    throw new ConfigError(`the sweep plans ${size} trainings; at most ${MAX_PLAN_SIZE} are allowed`, { field: 'grid' });
  const trainings: PlannedTraining[] = [];
  const seen = new Set<string>();
  for (const point of points) {
    for (const draw of draws) {
      for (const seed of seeds) {
        const chosen = [...point, ...draw, ...(seed === undefined ? [] : [seedAssignment(seed)])];
        const config = buildOne(base, [...fixed, ...chosen]);
        const key = trainingKey(config);
        if (seen.has(key)) continue;
        seen.add(key);
        const values = Object.fromEntries(chosen.map((a) => [a.path, a.value]));
        trainings.push({ index: trainings.length, key, config: withName(config, spec, values), values });
      }
    }
  }
  return { spec, trainings };
}

/** 16 hex characters of sha256 over the normalised config without its name: equal keys train the same thing. */
export function trainingKey(config: RunConfig): string {
  const key = configKey(config);
  if (key === null) throw new ConfigError('config does not validate; no key');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** One value put at a dotted path, and the spec entry it came from (for error messages). */
interface Assignment {
  path: string;
  value: unknown;
  source: string;
}

/** The spec's shape, by the one schema (src/shared/schema/sweep.ts); the message says it is the sweep spec. */
function checkShape(raw: unknown): SweepSpec {
  try {
    return structuredClone(parseOrThrow(SweepSpecSchema, raw, '', ''));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(`sweep spec${err.field ? ' ' : ''}${err.message}`, { field: err.field });
  }
}

function baseConfig(spec: SweepSpec): Obj {
  const presetName = spec.preset ?? (typeof spec.config?.preset === 'string' ? spec.config.preset : 'quick');
  let base: Obj;
  try {
    base = presetConfig(presetName) as unknown as Obj;
  } catch (err) {
    throw specError('preset', (err as Error).message);
  }
  return spec.config ? mergeConfig(base, spec.config) : base;
}

function assignments(map: Obj, what: string): Assignment[] {
  return Object.entries(map).map(([path, value]) => ({
    path: checkPath(path, `${what}["${path}"]`),
    value,
    source: `${what}["${path}"]`,
  }));
}

function gridPoints(grid: Record<string, unknown[]>): Assignment[][] {
  let points: Assignment[][] = [[]];
  for (const [path, values] of Object.entries(grid)) {
    checkPath(path, `grid["${path}"]`);
    points = points.flatMap((p) => values.map((value, i) => [...p, { path, value, source: `grid["${path}"][${i}]` }]));
  }
  return points;
}

/** `count` draws from a generator seeded with `randomSeed` (default 0): the same spec gives the same plan. */
function randomDraws(spec: SweepSpec): Assignment[][] {
  const entries = Object.entries(spec.random ?? {});
  if (entries.length === 0) return [[]];
  const rng = Rng.fromSeed(spec.randomSeed ?? 0);
  const draws: Assignment[][] = [];
  for (let i = 0; i < (spec.count as number); i++) {
    draws.push(
      entries.map(([path, d]) => ({
        path: checkPath(path, `random["${path}"]`),
        value: sample(d, rng),
        source: `random["${path}"] (draw ${i + 1})`,
      })),
    );
  }
  return draws;
}

/** One value of a distribution: uniform in [min, max), log-uniform, integer in [min, max], or one of `values`. */
export function sample(d: SweepDistribution, rng: Rng): unknown {
  if (d.dist === 'choice') return d.values[Math.floor(rng.next() * d.values.length)];
  if (d.dist === 'int') return d.min + Math.floor(rng.next() * (d.max - d.min + 1));
  if (d.dist === 'loguniform') return Math.exp(rng.uniform(Math.log(d.min), Math.log(d.max)));
  return rng.uniform(d.min, d.max);
}

function seedAssignment(seed: number): Assignment {
  return { path: 'training.seed', value: seed, source: 'seeds' };
}

function checkPath(path: string, where: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(path)) {
    throw specError(where, `'${path}' is not a dotted config path like "training.learningRate"`);
  }
  return path;
}

/** Puts every assignment into a partial config, merges it over the base and validates the result. */
function buildOne(base: Obj, list: Assignment[]): RunConfig {
  const over: Obj = {};
  for (const a of list) {
    const parts = a.path.split('.');
    let o = over;
    for (const p of parts.slice(0, -1)) {
      if (o[p] !== undefined && !isObj(o[p])) throw specError(a.source, `'${a.path}': ${p} is not an object`);
      o = (o[p] ??= {}) as Obj;
    }
    o[parts[parts.length - 1]] = a.value;
  }
  try {
    return validateRunConfig(mergeConfig(base, over));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const culprit = [...list]
      .reverse()
      .find(
        (a) =>
          err.field === a.path ||
          err.field.startsWith(`${a.path}.`) ||
          err.field.startsWith(`${a.path}[`) ||
          a.path.startsWith(`${err.field}.`),
      );
    const unknown = /unknown field/.test(err.message)
      ? list.find((a) => err.message.includes(`'${a.path.split('.').pop()}'`))
      : undefined;
    const at = culprit ?? unknown;
    throw new ConfigError(at ? `${at.source}: ${err.message}` : `base config: ${err.message}`, {
      field: at?.source ?? err.field,
    });
  }
}

function withName(config: RunConfig, spec: SweepSpec, values: Record<string, unknown>): RunConfig {
  const parts = Object.entries(values).map(
    ([p, v]) => `${p.split('.').pop()}=${typeof v === 'number' ? +v.toPrecision(4) : JSON.stringify(v)}`,
  );
  const name = [spec.name ?? 'sweep', parts.join(' ')].filter((s) => s !== '').join(': ');
  return { ...config, name: name.slice(0, 200) };
}

/** Relative data set folders in a spec file resolve against the file's folder, as in config files. */
function withDatasetPaths(spec: SweepSpec, dir: string): SweepSpec {
  const fix = (m: Obj | undefined, key: string): void => {
    if (m && typeof m[key] === 'string') m[key] = datasetPath(m[key] as string, dir);
  };
  const ds = isObj(spec.config?.dataset) ? (spec.config.dataset as Obj) : undefined;
  fix(ds, 'name');
  fix(spec.set as Obj | undefined, 'dataset.name');
  const grid = spec.grid?.['dataset.name'];
  if (Array.isArray(grid))
    spec.grid!['dataset.name'] = grid.map((v) => (typeof v === 'string' ? datasetPath(v, dir) : v));
  return spec;
}

function specError(field: string, message: string): ConfigError {
  return new ConfigError(`sweep spec ${field}: ${message}`, { field });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
