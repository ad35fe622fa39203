/**
 * Summaries of a study's results: one row per model, mode and rate with the mean and standard
 * deviation over seeds (what the paper plots), as rows (the aggregation, shared with the
 * renderer's study view: src/shared/study-stats.ts) or CSV.
 */
import type { StudyDetail } from '../../shared/lab-api';
import { aggregateResults } from '../../shared/study-stats';
import { toCsv, type CsvValue } from '../figures/csv';

export { aggregateResults, type StudyPoint } from '../../shared/study-stats';

/** CSV with a header: model,mode,rate,mean,std,n,sparsity (plus one `baseline` row per model, rate 0). */
export function studyCsv(study: StudyDetail): string {
  const rows: CsvValue[][] = [
    ...study.baselines.map((b) => [b.model, 'baseline', 0, b.testAccuracy, '', b.runIds.length, 0]),
    ...aggregateResults(study.results).map((p) => [p.model, p.mode, p.rate, p.mean, p.std, p.n, p.sparsity]),
  ];
  return toCsv(['model', 'mode', 'rate', 'mean', 'std', 'n', 'sparsity'], rows, { significantDigits: null });
}
