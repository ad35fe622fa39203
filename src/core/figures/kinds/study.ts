/**
 * A pruning study's accuracy against sparsity: every model and mode (post-training solid,
 * during-training dashed), the mean over seeds with a ±1 std band, each model's unpruned accuracy
 * as a dotted line in its colour, optionally the paper's curves (Fig. 3).
 */
import type { StudyDetail } from '../../../shared/lab-api';
import { layoutPlot, niceTicks, type Box } from '../axes';
import { toCsv, type CsvValue } from '../csv';
import { legendRow, type LegendEntry } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical, TOL_MUTED } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';
import { aggregateStudy, type StudyPoint } from '../../../shared/study-stats';
import { PAPER_PRUNING, PAPER_RATES } from './pruning';
import { STUDY_MODES } from '../../../shared/schema/enums';

export interface StudyFigureOptions extends StyleOptions {
  /** overlay the paper's curves (Fig. 3, values read from its plot) */
  paper?: boolean;
}

export type { StudyPoint };

const MODES = STUDY_MODES;

/**
 * Results grouped by model, mode and rate with mean and sample std over seeds (the study's own
 * aggregation), ordered for plotting: models in the order first seen, post before during, rates ascending.
 */
export function studyPoints(study: Pick<StudyDetail, 'results'>): StudyPoint[] {
  return aggregateStudy(study.results, modelOrder(study.results.map((r) => r.model)));
}

function modelOrder(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** One plot of a whole study; throws when the study has no results yet. */
export function studyFigure(
  study: Pick<StudyDetail, 'name' | 'results' | 'baselines'>,
  opts: StudyFigureOptions = {},
): FigureOutput {
  if (study.results.length === 0) throw new Error(`study '${study.name}' has no results yet`);
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const w = style.lineWidth;
  const points = studyPoints(study);
  const models = modelOrder([...study.baselines.map((b) => b.model), ...points.map((p) => p.model)]).filter((m) =>
    points.some((p) => p.model === m),
  );
  const baselines = study.baselines.filter((b) => models.includes(b.model));
  const refs = opts.paper ? PAPER_PRUNING : [];
  const allAcc = [
    ...points.flatMap((p) => [p.mean - p.std, p.mean + p.std]),
    ...baselines.map((b) => b.testAccuracy),
    ...refs.flatMap((r) => r.values),
  ];
  const box: Box = { x: pad, y: pad, width: style.widthPt - 2 * pad, height: (style.widthPt - 2 * pad) * 0.6 };
  const x = niceTicks(0, 100, 5);
  const y = niceTicks(Math.max(0, Math.min(...allAcc)), Math.min(1, Math.max(...allAcc)), 5);
  const yt = {
    ...y,
    lo: Math.max(y.lo, 0),
    hi: Math.min(y.hi, 1),
    values: y.values.filter((v) => v >= -1e-9 && v <= 1 + 1e-9),
  };
  const plot = layoutPlot({ box, x, y: yt, xLabel: 'Sparsity (%)', yLabel: 'Test accuracy', style });
  const f = plot.frame;
  const bands: Mark[] = [];
  const lines: Mark[] = [];
  const entries: LegendEntry[] = [];
  const dashed = [3 * w, 2 * w];
  const dotted = [w * 0.6, w * 1.6];
  models.forEach((model, i) => {
    const color = categorical(i);
    const base = baselines.find((b) => b.model === model);
    if (base) {
      const yb = plot.sy(base.testAccuracy);
      lines.push({
        type: 'line',
        x1: f.x,
        y1: yb,
        x2: f.x + f.width,
        y2: yb,
        stroke: color,
        strokeWidth: w * 0.8,
        dash: dotted,
      });
    }
    for (const mode of MODES) {
      const pts = points.filter((p) => p.model === model && p.mode === mode).sort((a, b) => a.sparsity - b.sparsity);
      if (pts.length === 0) continue;
      const dash = mode === 'during' ? dashed : undefined;
      if (pts.some((p) => p.std > 0)) {
        if (pts.length > 1) {
          const upper = pts.flatMap((p) => [plot.sx(p.sparsity * 100), plot.sy(p.mean + p.std)]);
          const lower = [...pts].reverse().flatMap((p) => [plot.sx(p.sparsity * 100), plot.sy(p.mean - p.std)]);
          bands.push({ type: 'polyline', points: [...upper, ...lower], closed: true, fill: color, opacity: 0.18 });
        } else {
          const p = pts[0];
          const px = plot.sx(p.sparsity * 100);
          lines.push({
            type: 'line',
            x1: px,
            y1: plot.sy(p.mean - p.std),
            x2: px,
            y2: plot.sy(p.mean + p.std),
            stroke: color,
            strokeWidth: w * 0.8,
          });
        }
      }
      const xy = pts.flatMap((p) => [plot.sx(p.sparsity * 100), plot.sy(p.mean)]);
      if (pts.length > 1) lines.push({ type: 'polyline', points: xy, stroke: color, strokeWidth: w, dash });
      for (let k = 0; k < xy.length; k += 2) {
        lines.push(
          mode === 'post'
            ? { type: 'circle', cx: xy[k], cy: xy[k + 1], r: w * 1.5, fill: color }
            : {
                type: 'circle',
                cx: xy[k],
                cy: xy[k + 1],
                r: w * 1.5,
                fill: '#FFFFFF',
                stroke: color,
                strokeWidth: w * 0.8,
              },
        );
      }
      entries.push({ label: `${model} ${mode}`, color, dash, marker: mode === 'post' ? 'circle' : 'ring' });
    }
    if (base) entries.push({ label: `${model} unpruned`, color, dash: dotted });
  });
  refs.forEach((r, i) => {
    const color = TOL_MUTED[[1, 6, 7, 8][i] ?? i];
    const pts = PAPER_RATES.flatMap((rate, k) => [plot.sx(rate * 100), plot.sy(r.values[k])]);
    lines.push({
      type: 'polyline',
      points: pts,
      stroke: color,
      strokeWidth: w * 0.7,
      dash: [w, w * 1.5],
      opacity: 0.8,
    });
    for (let k = 0; k < pts.length; k += 2)
      lines.push({ type: 'cross', x: pts[k], y: pts[k + 1], r: w * 1.6, stroke: color, strokeWidth: w * 0.7 });
    entries.push({ label: r.label, color, dash: [w, w * 1.5], marker: 'cross' });
  });
  const leg = legendRow(entries, pad, box.y + box.height + style.fontSize * 0.4, style.widthPt - 2 * pad, style);
  const m = w * 2;
  const clip = { x: f.x - m, y: f.y - m, width: f.width + 2 * m, height: f.height + 2 * m };
  const rows: CsvValue[][] = [
    ...baselines.map((b) => [b.model, 'unpruned', 0, b.testAccuracy, null, b.runIds.length, 0]),
    ...points.map((p) => [p.model, p.mode, p.rate, p.mean, p.std, p.n, p.sparsity]),
    ...refs.flatMap((r) => PAPER_RATES.map((rate, k) => [r.label, 'paper', rate, r.values[k], null, null, rate])),
  ];
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: box.y + box.height + style.fontSize * 0.4 + leg.height + pad,
      title: `Accuracy vs sparsity: ${study.name}`,
      background: '#FFFFFF',
      children: [
        group(plot.axes, { name: 'axes' }),
        group(bands, { name: 'spread', clip }),
        group(lines, { name: 'data', clip }),
        group(leg.marks, { name: 'legend' }),
      ],
    },
    csv: toCsv(['model', 'mode', 'rate', 'mean', 'std', 'n', 'sparsity'], rows),
  };
}
