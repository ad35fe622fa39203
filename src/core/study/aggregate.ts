/**
 * Summaries of a study's results: one row per model, mode and rate with the mean and standard
 * deviation over seeds (what the paper plots), as rows or CSV.
 */
import type { StudyDetail, StudyResult } from '../../shared/lab-api';

/** The seeds of one model, mode and rate, summarised. */
export interface StudyPoint {
  model: string;
  mode: 'post' | 'during';
  rate: number;
  /** mean test accuracy over seeds */
  mean: number;
  /** sample standard deviation over seeds (n - 1 in the denominator); 0 for a single seed */
  std: number;
  /** seeds measured */
  n: number;
  /** mean achieved sparsity */
  sparsity: number;
}

/**
 * Groups results by model, mode and rate (in order of first appearance, rates ascending within a
 * model and mode): mean = sum(a_i) / n, std = sqrt(sum((a_i - mean)^2) / (n - 1)).
 */
export function aggregateResults(results: readonly StudyResult[]): StudyPoint[] {
  const groups = new Map<string, StudyResult[]>();
  for (const r of results) {
    const key = JSON.stringify([r.model, r.mode, r.rate]);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const order = (r: StudyResult): string => JSON.stringify([r.model, r.mode]);
  const firstSeen = [...new Set(results.map(order))];
  return [...groups.values()]
    .map((rs) => {
      const n = rs.length;
      const mean = rs.reduce((s, r) => s + r.testAccuracy, 0) / n;
      const variance = n > 1 ? rs.reduce((s, r) => s + (r.testAccuracy - mean) ** 2, 0) / (n - 1) : 0;
      const sparsity = rs.reduce((s, r) => s + r.sparsity, 0) / n;
      const { model, mode, rate } = rs[0];
      return { model, mode, rate, mean, std: Math.sqrt(variance), n, sparsity, at: firstSeen.indexOf(order(rs[0])) };
    })
    .sort((a, b) => a.at - b.at || a.rate - b.rate)
    .map(({ at: _at, ...point }) => point);
}

/** CSV with a header: model,mode,rate,mean,std,n,sparsity (plus one `baseline` row per model, rate 0). */
export function studyCsv(study: StudyDetail): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['model,mode,rate,mean,std,n,sparsity'];
  for (const b of study.baselines) lines.push([quote(b.model), 'baseline', 0, b.testAccuracy, '', b.runIds.length, 0].join(','));
  for (const p of aggregateResults(study.results)) lines.push([quote(p.model), p.mode, p.rate, p.mean, p.std, p.n, p.sparsity].join(','));
  return lines.join('\n') + '\n';
}
