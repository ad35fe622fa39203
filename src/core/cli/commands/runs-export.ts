/** `sen-lab runs export ID`: a run as JSON (full detail) or its per-epoch metrics as CSV. */
import { toCsv } from '../../figures/csv';
import { resolve } from 'node:path';
import type { EpochMetrics, RunDetail } from '../../../shared/run-config';
import type { RunStore } from '../../store/index';
import type { CliContext } from '../context';
import { writeOutFile } from '../out-file';

export interface ExportRunOptions {
  store: RunStore;
  id: string;
  format: 'json' | 'csv';
  /** file to write; stdout when absent */
  out?: string;
  ctx: CliContext;
}

/** CSV columns, in order (the EpochMetrics field names). */
export const CSV_COLUMNS: readonly (keyof EpochMetrics)[] = [
  'epoch',
  'trainLoss',
  'trainAccuracy',
  'testLoss',
  'testAccuracy',
  'durationMs',
  'samplesPerSec',
];

/** Per-epoch metrics as CSV with a header line. */
export function epochsCsv(run: RunDetail): string {
  return toCsv(
    CSV_COLUMNS,
    run.epochs.map((e) => CSV_COLUMNS.map((c) => e[c])),
    { significantDigits: null },
  );
}

/** Write the export to `out` (or stdout). */
export function exportRun(opts: ExportRunOptions): number {
  const run = opts.store.getRun(opts.id);
  const text = opts.format === 'csv' ? epochsCsv(run) : JSON.stringify(run, null, 2) + '\n';
  if (opts.out === undefined) {
    opts.ctx.stdout.write(text);
    return 0;
  }
  const path = resolve(opts.ctx.cwd, opts.out);
  writeOutFile(path, text);
  opts.ctx.stderr.write(`wrote ${path}\n`);
  return 0;
}
