/**
 * The Sweeps view's form as plain data, and its translation into a sweep spec and executor options.
 * Values are typed like JSON (`0.01`, `"relaxed"`, `[784,64,10]`); a bare word is taken as a string.
 * Checks here are about the form's shape only; the backend's planner validates every planned config.
 */
import type { SweepDistribution, SweepExecutorOptions, SweepSpec } from '../../../shared/sweep';

export interface GridRow {
  path: string;
  /** comma-separated values, e.g. `0.005, 0.01` */
  values: string;
}

export interface RandomRow {
  path: string;
  dist: SweepDistribution['dist'];
  min: string;
  max: string;
  /** choice: comma-separated values */
  values: string;
}

export interface SweepForm {
  name: string;
  preset: string;
  /** `path = value` lines */
  set: string;
  grid: GridRow[];
  random: RandomRow[];
  count: string;
  randomSeed: string;
  seeds: string;
  executor: 'local' | 'slurm';
  maxParallel: string;
  partition: string;
  time: string;
  cpusPerTask: string;
  mem: string;
  gres: string;
  account: string;
  sharedDir: string;
  /** one sbatch argument per line */
  extraArgs: string;
}

export function defaultSweepForm(): SweepForm {
  return {
    name: 'sweep',
    preset: 'quick',
    set: 'training.epochs = 1\ndataset.trainSize = 2000',
    grid: [{ path: 'training.learningRate', values: '0.005, 0.01' }],
    random: [],
    count: '4',
    randomSeed: '0',
    seeds: '1, 2',
    executor: 'local',
    maxParallel: '',
    partition: '',
    time: '',
    cpusPerTask: '',
    mem: '',
    gres: '',
    account: '',
    sharedDir: '',
    extraArgs: '',
  };
}

/** A value as JSON when it parses, else the trimmed text. */
export function parseValue(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return t;
  }
}

/** Comma-separated values, commas inside [...] kept (so `[784,64,10], [784,128,10]` is two lists). */
export function parseList(text: string): unknown[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseValue);
}

/** The spec and options of a form, or the form's errors by field. */
export function parseSweepForm(f: SweepForm): {
  spec?: SweepSpec;
  options?: SweepExecutorOptions;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const spec: SweepSpec = { name: f.name.trim() || 'sweep', preset: f.preset };
  const set: Record<string, unknown> = {};
  f.set.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    if (eq < 1) errors.set = `line ${i + 1}: expected path = value`;
    else set[line.slice(0, eq).trim()] = parseValue(line.slice(eq + 1));
  });
  if (Object.keys(set).length) spec.set = set;
  const grid: Record<string, unknown[]> = {};
  for (const row of f.grid) {
    if (row.path.trim() === '') continue;
    const values = parseList(row.values);
    if (values.length === 0) errors.grid = `${row.path}: give at least one value`;
    grid[row.path.trim()] = values;
  }
  if (Object.keys(grid).length) spec.grid = grid;
  const random: Record<string, SweepDistribution> = {};
  for (const row of f.random) {
    if (row.path.trim() === '') continue;
    if (row.dist === 'choice') random[row.path.trim()] = { dist: 'choice', values: parseList(row.values) };
    else {
      const min = Number(row.min);
      const max = Number(row.max);
      if (row.min.trim() === '' || row.max.trim() === '' || !Number.isFinite(min) || !Number.isFinite(max))
        errors.random = `${row.path}: min and max must be numbers`;
      random[row.path.trim()] = { dist: row.dist, min, max };
    }
  }
  if (Object.keys(random).length) {
    spec.random = random;
    spec.count = Number(f.count);
    if (!Number.isInteger(spec.count) || spec.count < 1) errors.count = 'a whole number >= 1';
    if (f.randomSeed.trim() !== '') spec.randomSeed = Number(f.randomSeed);
  }
  if (f.seeds.trim() !== '') {
    const seeds = f.seeds.split(',').map((s) => Number(s.trim()));
    if (seeds.some((s) => !Number.isInteger(s))) errors.seeds = 'whole numbers, comma-separated';
    spec.seeds = seeds;
  }
  const options: SweepExecutorOptions = { executor: f.executor };
  if (f.maxParallel.trim() !== '') {
    options.maxParallel = Number(f.maxParallel);
    if (!Number.isInteger(options.maxParallel) || options.maxParallel < 1) errors.maxParallel = 'a whole number >= 1';
  }
  if (f.executor === 'slurm') {
    const slurm: NonNullable<SweepExecutorOptions['slurm']> = {};
    for (const k of ['partition', 'time', 'mem', 'gres', 'account', 'sharedDir'] as const)
      if (f[k].trim() !== '') slurm[k] = f[k].trim();
    if (f.cpusPerTask.trim() !== '') {
      slurm.cpusPerTask = Number(f.cpusPerTask);
      if (!Number.isInteger(slurm.cpusPerTask) || slurm.cpusPerTask < 1) errors.cpusPerTask = 'a whole number >= 1';
    }
    const extra = f.extraArgs
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (extra.length) slurm.extraArgs = extra;
    options.slurm = slurm;
  }
  return Object.keys(errors).length ? { errors } : { spec, options, errors };
}
