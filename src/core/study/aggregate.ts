/**
 * Summaries of a study's results: one row per model, mode and rate with the mean and standard
 * deviation over seeds (what the paper plots), as rows (the aggregation, shared with the
 * renderer's study view: src/shared/study-stats.ts) or CSV.
 */
import type { StudyDetail } from '../../shared/lab-api';
import { aggregateResults } from '../../shared/study-stats';

export { aggregateResults, type StudyPoint } from '../../shared/study-stats';

/** CSV with a header: model,mode,rate,mean,std,n,sparsity (plus one `baseline` row per model, rate 0). */
export function studyCsv(study: StudyDetail): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['model,mode,rate,mean,std,n,sparsity'];
  for (const b of study.baselines) lines.push([quote(b.model), 'baseline', 0, b.testAccuracy, '', b.runIds.length, 0].join(','));
  for (const p of aggregateResults(study.results)) lines.push([quote(p.model), p.mode, p.rate, p.mean, p.std, p.n, p.sparsity].join(','));
  return lines.join('\n') + '\n';
}
