/**
 * Which run a study can reuse instead of training: one whose stored config equals the wanted one.
 * Configs are compared as canonical JSON (keys sorted) after normalisation, ignoring `name`
 * (a label that does not change what is trained).
 */
import type { PruneScope } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { validateRunConfig } from '../config/index';
import type { RunStore } from '../store/index';

/** The tag on every run a study trained or resumed. */
export function studyTag(studyId: string): string {
  return `study:${studyId}`;
}

/** JSON with object keys sorted at every level (arrays keep their order, undefined is left out). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The comparison key of a config: normalised, without `name`; null for a config that no longer validates. */
export function configKey(config: RunConfig): string | null {
  try {
    const { name: _name, ...rest } = validateRunConfig(config);
    return canonicalJson(rest);
  } catch {
    return null;
  }
}

/** `base` trained with the paper's pruning during training (mode b): the full rate from the first step. */
export function duringConfig(base: RunConfig, rate: number, scope: PruneScope): RunConfig {
  return { ...structuredClone(base), pruning: { rate, scope, schedule: 'constant' } };
}

/** A run to reuse: completed (use it) or interrupted by an earlier study (resume it). */
export interface ReusableRun {
  id: string;
  status: 'completed' | 'interrupted';
}

/**
 * The newest completed run (with a final model) whose config equals `config`; else the newest
 * interrupted run with that config that a study started (tagged `study:...`), to be resumed.
 * Runs of users interrupted by hand are left alone, and failed runs are never picked.
 */
export function findReusableRun(store: RunStore, config: RunConfig): ReusableRun | null {
  const key = configKey(config);
  if (key === null) return null;
  const candidates = store.listRunConfigs(['completed', 'interrupted'], config.model.layers);
  const same = candidates.filter((c) => configKey(c.config) === key);
  const done = same.find((c) => c.status === 'completed' && c.hasModel);
  if (done) return { id: done.id, status: 'completed' };
  const resumable = same.find((c) => c.status === 'interrupted' && c.tags.some((t) => t.startsWith('study:')));
  return resumable ? { id: resumable.id, status: 'interrupted' } : null;
}
