/** Chart data (plain objects) for pruning studies and a run's post-training sweep. */
import type { PruneResult, StudyDetail } from '../../../shared/lab-api';
import { PAPER_MODEL_NAMES, PAPER_PRUNING, PAPER_RATES, PAPER_SOURCE, type PaperModel } from '../lib/paper-pruning';
import { aggregateStudy } from '../../../shared/study-stats';
import { runColor, TOL_BRIGHT } from './palette';
import type { SparsityChartData, SparsityLine } from './pruning';
import { STUDY_MODES } from '../../../shared/schema/enums';

export type SpreadKind = 'minmax' | 'std';

export interface StudyChartOptions {
  /** model labels in display order (colours follow it) */
  models: readonly string[];
  spread: SpreadKind;
  /** overlay the paper's Fig. 3 */
  paper: boolean;
}

/**
 * The paper's curves in colours of their own (Paul Tol's dark scheme, never a run's bright colour),
 * so an overlay cannot be mistaken for a measured series; × markers, and dotted (post-training)
 * against dash-dot (during training) lines.
 */
export const PAPER_COLORS: Readonly<Record<PaperModel, string>> = {
  '3D': '#222255',
  B14: '#666633',
  B2048: '#663333',
};

/** one curve of the paper's Fig. 3 as a chart line */
function paperLine(c: (typeof PAPER_PRUNING)[number]): SparsityLine {
  return {
    id: `paper:${c.model}:${c.mode}`,
    name: `paper · ${PAPER_MODEL_NAMES[c.model]} · ${c.mode === 'post' ? 'post' : 'during'}`,
    color: PAPER_COLORS[c.model],
    dash: c.mode === 'post' ? 'dotted' : 'dashdot',
    kind: 'paper',
    points: PAPER_RATES.map((x, i) => ({ x, y: c.accuracy[i] })),
  };
}

export const modelColor = (models: readonly string[], model: string): string =>
  runColor(Math.max(0, models.indexOf(model)));

export function studyChartData(detail: StudyDetail, opts: StudyChartOptions): SparsityChartData {
  const points = aggregateStudy(detail.results, opts.models);
  const lines: SparsityLine[] = [];
  for (const model of opts.models) {
    const color = modelColor(opts.models, model);
    for (const mode of STUDY_MODES) {
      const pts = points.filter((p) => p.model === model && p.mode === mode);
      if (!pts.length) continue;
      lines.push({
        id: `${model}:${mode}`,
        name: `${model} · ${mode === 'post' ? 'post-training' : 'during training'}`,
        color,
        dash: mode === 'post' ? 'solid' : 'dashed',
        kind: 'measured',
        band: pts.some((p) => p.n > 1),
        points: pts.map((p) => ({
          x: p.rate,
          y: p.mean,
          std: p.std,
          n: p.n,
          key: p.key,
          lo: opts.spread === 'minmax' ? p.min : p.mean - p.std,
          hi: opts.spread === 'minmax' ? p.max : p.mean + p.std,
        })),
      });
    }
    const base = detail.baselines.find((b) => b.model === model);
    if (base) lines.push(referenceLine(`${model}:unpruned`, `${model} · unpruned`, color, base.testAccuracy));
  }
  if (opts.paper) lines.push(...paperLines(detail));
  return {
    title: detail.name,
    xName: 'pruning rate (connections removed)',
    yName: 'test accuracy',
    lines,
    spread: opts.spread === 'minmax' ? 'min–max over seeds' : 'mean ± std over seeds (n − 1)',
    source: opts.paper ? PAPER_SOURCE : undefined,
  };
}

function referenceLine(id: string, name: string, color: string, accuracy: number): SparsityLine {
  return {
    id,
    name,
    color,
    dash: 'dotted',
    kind: 'reference',
    points: [
      { x: 0, y: accuracy },
      { x: 1, y: accuracy },
    ],
  };
}

/** the paper's curves for the modes the study measured (both when it has none yet) */
function paperLines(detail: StudyDetail): SparsityLine[] {
  const modes = new Set(detail.spec.modes ?? ['post']);
  return PAPER_PRUNING.filter((c) => modes.has(c.mode)).map(paperLine);
}

/** One run's post-training sweep: accuracy per rate and its unpruned accuracy on the same images. */
export function sweepChartData(
  runName: string,
  results: readonly PruneResult[],
  unpruned: number | null,
  paper: boolean,
  /** e.g. the distance slider's current setting, at its achieved sparsity */
  marker?: { name: string; sparsity: number; accuracy: number } | null,
): SparsityChartData {
  const color = runColor(0);
  const byRate = results.filter((r) => r.rate !== null).sort((a, b) => (a.rate as number) - (b.rate as number));
  const lines: SparsityLine[] = [
    {
      id: 'sweep',
      name: `${runName} · post-training`,
      color,
      dash: 'solid',
      kind: 'measured',
      points: byRate.map((r) => ({ x: r.rate as number, y: r.testAccuracy })),
    },
  ];
  if (unpruned !== null) lines.push(referenceLine('unpruned', `${runName} · unpruned`, color, unpruned));
  if (marker)
    lines.push({
      id: 'marker',
      name: marker.name,
      color: TOL_BRIGHT[1],
      dash: 'solid',
      kind: 'measured',
      points: [{ x: marker.sparsity, y: marker.accuracy }],
    });
  if (paper) {
    lines.push(...PAPER_PRUNING.filter((c) => c.mode === 'post').map(paperLine));
  }
  return {
    title: `${runName}: post-training pruning`,
    xName: 'pruning rate (connections removed)',
    yName: 'test accuracy',
    lines,
    source: paper ? PAPER_SOURCE : undefined,
  };
}
