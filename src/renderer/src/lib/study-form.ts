/** The New study form: its state, validation into a StudySpec, and how much work it plans. */
import type { PruneScope, StudySpec } from '../../../shared/lab-api';
import { PAPER_RATES } from './paper-pruning';

export interface StudyFormState {
  name: string;
  /** presets the study trains */
  presets: string[];
  /** completed runs the study prunes as they are */
  runIds: string[];
  /** percentages, comma separated */
  rates: string;
  post: boolean;
  during: boolean;
  /** comma separated */
  seeds: string;
  /** shortened training: blank = as the preset says */
  epochs: string;
  trainSize: string;
  testSize: string;
  scope: PruneScope;
}

export type StudyFormErrors = Partial<
  Record<'models' | 'rates' | 'modes' | 'seeds' | 'epochs' | 'trainSize' | 'testSize', string>
>;

export function defaultStudyForm(): StudyFormState {
  return {
    name: '',
    presets: [],
    runIds: [],
    rates: PAPER_RATES.map((r) => String(Math.round(r * 100))).join(', '),
    post: true,
    during: false,
    seeds: '1',
    epochs: '',
    trainSize: '',
    testSize: '',
    scope: 'global',
  };
}

function list(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** "20, 40, 95" (percent) -> [0.2, 0.4, 0.95], sorted, unique; or a message */
export function parseRates(text: string): number[] | string {
  const parts = list(text);
  if (!parts.length) return 'give at least one rate';
  const out = new Set<number>();
  for (const p of parts) {
    const v = Number(p.replace(/%$/, ''));
    if (!(v > 0 && v < 100)) return `"${p}" is not a percentage between 0 and 100`;
    out.add(Math.round(v * 100) / 10000);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseSeeds(text: string): number[] | string {
  const parts = list(text);
  if (!parts.length) return 'give at least one seed';
  const out = new Set<number>();
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0) return `"${p}" is not a whole number ≥ 0`;
    out.add(v);
  }
  return [...out];
}

/** blank -> undefined; else an integer in [min, max] or a message */
function optionalInt(text: string, min: number, max: number): number | undefined | string {
  const t = text.trim();
  if (!t) return undefined;
  const v = Number(t);
  if (!Number.isInteger(v) || v < min || v > max)
    return `a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return v;
}

export function parseStudyForm(f: StudyFormState): { spec?: StudySpec; errors: StudyFormErrors } {
  const errors: StudyFormErrors = {};
  if (!f.presets.length && !f.runIds.length) errors.models = 'pick at least one preset or run';
  if (!f.post && !f.during) errors.modes = 'pick at least one mode';
  const rates = parseRates(f.rates);
  if (typeof rates === 'string') errors.rates = rates;
  const seeds = parseSeeds(f.seeds);
  if (typeof seeds === 'string') errors.seeds = seeds;
  const epochs = optionalInt(f.epochs, 1, 10_000);
  if (typeof epochs === 'string') errors.epochs = epochs;
  const trainSize = optionalInt(f.trainSize, 1, 60_000);
  if (typeof trainSize === 'string') errors.trainSize = trainSize;
  const testSize = optionalInt(f.testSize, 1, 10_000);
  if (typeof testSize === 'string') errors.testSize = testSize;
  if (Object.keys(errors).length) return { errors };
  const spec: StudySpec = {
    models: [...f.presets.map((preset) => ({ preset })), ...f.runIds.map((runId) => ({ runId }))],
    rates: rates as number[],
    modes: [...(f.post ? (['post'] as const) : []), ...(f.during ? (['during'] as const) : [])],
    seeds: seeds as number[],
    scope: f.scope,
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    ...(epochs !== undefined ? { epochs: epochs as number } : {}),
    ...(trainSize !== undefined ? { trainSize: trainSize as number } : {}),
    ...(testSize !== undefined ? { testSize: testSize as number } : {}),
  };
  return { spec, errors };
}

/**
 * What a spec asks for: measured points (model x mode x rate x seed; runs count once, their seed
 * is fixed) and trainings (an unpruned one per preset and seed, the baseline that 'post' prunes;
 * 'during' adds one per model, rate and seed).
 */
export function plannedWork(spec: StudySpec): { results: number; trainings: number } {
  const rates = spec.rates?.length ?? PAPER_RATES.length;
  const seeds = spec.seeds?.length ?? 1;
  const modes = spec.modes ?? ['post'];
  let results = 0;
  let trainings = 0;
  for (const m of spec.models) {
    const s = m.runId ? 1 : seeds;
    results += modes.length * rates * s;
    if (!m.runId) trainings += s;
    if (modes.includes('during')) trainings += rates * s;
  }
  return { results, trainings };
}
