/** Aggregates a pruning study's per-seed results into one point per (model, mode, rate). */
import type { StudyDetail, StudyResult } from '../../../shared/lab-api';
import type { PruneMode } from './paper-pruning';

export interface StudyPoint {
  /** `${model}|${mode}|${rate}`: identifies the point in charts, tables and the URL */
  key: string;
  model: string;
  mode: PruneMode;
  rate: number;
  mean: number;
  /** sample standard deviation over seeds (n - 1); 0 for a single seed */
  std: number;
  min: number;
  max: number;
  n: number;
  /** mean achieved sparsity (fraction of connections removed) */
  sparsity: number;
  /** the per-seed results, sorted by seed */
  results: StudyResult[];
}

export const pointKey = (model: string, mode: PruneMode, rate: number): string => `${model}|${mode}|${rate}`;

/** mean and sample std of xs (std 0 when there is one value) */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const ss = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return { mean, std: Math.sqrt(ss / (n - 1)) };
}

/** The study's model labels in spec order, then any label only the results or baselines know. */
export function studyModels(detail: Pick<StudyDetail, 'results' | 'baselines'>, specOrder: readonly string[] = []): string[] {
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

/** One point per (model, mode, rate), ordered by model (as `models`), mode (post first), rate. */
export function aggregateStudy(results: readonly StudyResult[], models: readonly string[] = []): StudyPoint[] {
  const groups = new Map<string, StudyResult[]>();
  for (const r of results) {
    const key = pointKey(r.model, r.mode, r.rate);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const points: StudyPoint[] = [];
  for (const [key, list] of groups) {
    const sorted = list.slice().sort((a, b) => a.seed - b.seed);
    const acc = sorted.map((r) => r.testAccuracy);
    const { mean, std } = meanStd(acc);
    points.push({
      key,
      model: sorted[0].model,
      mode: sorted[0].mode,
      rate: sorted[0].rate,
      mean,
      std,
      min: Math.min(...acc),
      max: Math.max(...acc),
      n: sorted.length,
      sparsity: meanStd(sorted.map((r) => r.sparsity)).mean,
      results: sorted,
    });
  }
  const order = (m: string): number => {
    const i = models.indexOf(m);
    return i < 0 ? models.length : i;
  };
  return points.sort((a, b) => order(a.model) - order(b.model) || a.model.localeCompare(b.model) || (a.mode === b.mode ? 0 : a.mode === 'post' ? -1 : 1) || a.rate - b.rate);
}
