/**
 * The report's figures, drawn with `exportFigure` as SVG into `<out>/figures/`: training curves of
 * one run per model (per table), the Fig. 6 embedding of the row marked `embedding` (the 3D MLP),
 * and the pruning curve of the first pruning model's base run with the paper's Fig. 3 overlay.
 * A figure that fails is listed in `figureErrors`; the report is written anyway.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportFigure, type FigureRequest } from '../figures/index';
import type { RunStore } from '../store/index';
import type { Experiment } from './experiments';
import type { Budget } from './plan';
import type { ExperimentResult, FigureEntry, ReproduceResults } from './types';

/** Folder of the figures inside the output folder. */
export const FIGURE_DIR = 'figures';

/** Writes the figures of one finished experiment and records them in `results`. */
export async function writeFigures(
  store: RunStore,
  r: ExperimentResult,
  e: Experiment,
  results: ReproduceResults,
  budget: Budget,
): Promise<void> {
  const dir = join(results.outDir, FIGURE_DIR);
  mkdirSync(dir, { recursive: true });
  const jobs: { entry: FigureEntry; req: FigureRequest }[] = [];
  if (r.kind === 'accuracy' && e.kind === 'accuracy') {
    const first = r.rows.map((row) => row.runs[0]?.runId).filter((id): id is string => id !== undefined);
    if (first.length) {
      jobs.push({
        entry: {
          file: `${FIGURE_DIR}/${r.id}-curves.svg`,
          kind: 'curves',
          experiment: r.id,
          caption: `Training curves, one run per model (${r.id})`,
        },
        req: { kind: 'curves', runIds: first },
      });
    }
    e.rows.forEach((row, i) => {
      const run = r.rows[i].runs[0];
      if (!row.embedding || !run) return;
      jobs.push({
        entry: {
          file: `${FIGURE_DIR}/${r.id}-${row.id}-embedding.svg`,
          kind: 'embedding',
          experiment: r.id,
          caption: `Fig. 6: final positions of ${row.label} (run ${run.runId}), coloured by the masked activation for the average digit 0`,
        },
        req: {
          kind: 'embedding',
          runIds: [run.runId],
          digit: 0,
          ...(budget.testSize ? { testSize: budget.testSize } : {}),
        },
      });
    });
  }
  if (r.kind === 'pruning') {
    const base = r.baselines[0];
    const runId = base?.runIds[0];
    if (runId) {
      jobs.push({
        entry: {
          file: `${FIGURE_DIR}/pruning-${base.model}.svg`,
          kind: 'pruning',
          experiment: r.id,
          caption: `Fig. 3: ${base.model} (run ${runId}) pruned after training, with the paper's curves (dashed)`,
        },
        req: { kind: 'pruning', runIds: [runId], paper: true },
      });
    }
  }
  for (const { entry, req } of jobs) {
    try {
      await exportFigure(store, { ...req, format: 'svg', out: join(results.outDir, entry.file) });
      results.figures.push(entry);
    } catch (err) {
      results.figureErrors.push({ file: entry.file, message: err instanceof Error ? err.message : String(err) });
    }
  }
}
