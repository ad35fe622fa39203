/**
 * A pruning study's per-seed results summarised: one point per model, mode and rate with the mean
 * and sample standard deviation over seeds (what the paper plots). The one aggregation behind the
 * study view, its charts, `sen-lab study`, the study CSV, the 'study' figure and `sen-lab reproduce`.
 * Pure: no Node, no DOM.
 */
import type { StudyDetail, StudyResult } from './lab-api';

export type StudyMode = StudyResult['mode'];

/** The seeds of one model, mode and rate, summarised. */
export interface StudyPoint {
  /** `${model}|${mode}|${rate}`: identifies the point in charts, tables and the URL */
  key: string;
  model: string;
  mode: StudyMode;
  rate: number;
  /** mean test accuracy over seeds */
  mean: number;
  /** sample standard deviation over seeds (n - 1 in the denominator); 0 for a single seed */
  std: number;
  min: number;
  max: number;
  /** seeds measured */
  n: number;
  /** mean achieved sparsity (fraction of connections removed) */
  sparsity: number;
  /** the per-seed results, sorted by seed */
  results: StudyResult[];
}

export const pointKey = (model: string, mode: StudyMode, rate: number): string => `${model}|${mode}|${rate}`;

/** mean = sum(x_i) / n and sample std = sqrt(sum((x_i - mean)^2) / (n - 1)); std 0 for one value */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const ss = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/**
 * "mean ± std" for n > 1; the mean alone for one value (a sample std is undefined for n = 1, so
 * no "± 0.00" is shown). Every place that prints seed statistics uses this.
 */
export function meanStdText(s: { mean: number; std: number | null; n: number }, fmt: (x: number) => string): string {
  return s.n > 1 && s.std !== null ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
}

/** The study's model labels in spec order, then any label only the results or baselines know. */
export function studyModels(
  detail: Pick<StudyDetail, 'results' | 'baselines'>,
  specOrder: readonly string[] = [],
): string[] {
  const seen = new Set<string>(specOrder);
  const out = [...specOrder];
  for (const m of [...detail.baselines.map((b) => b.model), ...detail.results.map((r) => r.model)]) {
    if (!seen.has(m)) {
      seen.add(m);
      out.push(m);
    }
  }
  return out.filter((m) => detail.results.some((r) => r.model === m) || detail.baselines.some((b) => b.model === m));
}

/** One point per model, mode and rate, in the order each first appears in `results`. */
function summarise(results: readonly StudyResult[]): StudyPoint[] {
  const groups = new Map<string, StudyResult[]>();
  for (const r of results) {
    const key = pointKey(r.model, r.mode, r.rate);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups].map(([key, list]) => {
    // seed order, so the sums (and their rounding) do not depend on the order results were stored in
    const sorted = list.slice().sort((a, b) => a.seed - b.seed);
    const acc = sorted.map((r) => r.testAccuracy);
    const { mean, std } = meanStd(acc);
    const { model, mode, rate } = sorted[0];
    return {
      key,
      model,
      mode,
      rate,
      mean,
      std,
      min: Math.min(...acc),
      max: Math.max(...acc),
      n: sorted.length,
      sparsity: meanStd(sorted.map((r) => r.sparsity)).mean,
      results: sorted,
    };
  });
}

/**
 * Points ordered by model (as listed in `models`; others after them, alphabetically), mode (post
 * first), rate ascending.
 */
export function aggregateStudy(results: readonly StudyResult[], models: readonly string[] = []): StudyPoint[] {
  const order = (m: string): number => {
    const i = models.indexOf(m);
    return i < 0 ? models.length : i;
  };
  return summarise(results).sort(
    (a, b) =>
      order(a.model) - order(b.model) ||
      a.model.localeCompare(b.model) ||
      (a.mode === b.mode ? 0 : a.mode === 'post' ? -1 : 1) ||
      a.rate - b.rate,
  );
}

/**
 * Points ordered by when their model and mode first appear in `results` (the order results were
 * stored in), rates ascending within a model and mode: the rows of `sen-lab study` and the CSV.
 */
export function aggregateResults(results: readonly StudyResult[]): StudyPoint[] {
  const modelMode = (p: Pick<StudyResult, 'model' | 'mode'>): string => JSON.stringify([p.model, p.mode]);
  const firstSeen = new Map<string, number>();
  for (const r of results) if (!firstSeen.has(modelMode(r))) firstSeen.set(modelMode(r), firstSeen.size);
  return summarise(results).sort(
    (a, b) => firstSeen.get(modelMode(a))! - firstSeen.get(modelMode(b))! || a.rate - b.rate,
  );
}
