/** Loss and accuracy per epoch (train solid, test dashed) of one or more runs. */
import { FigureRequestError, FigureStateError } from '../errors';
import type { EpochMetrics } from '../../../shared/run-config';
import { layoutPlot, niceTicks, type Box, type Ticks } from '../axes';
import { toCsv } from '../csv';
import { legendRow, type LegendEntry } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical } from '../palettes';
import { figureStyle, type FigureStyle, type StyleOptions } from '../presets';

export interface CurvesData {
  runs: { name: string; epochs: EpochMetrics[] }[];
}

/** Up to this many epochs every point gets a marker (filled: train, open: test). */
const MAX_MARKED_EPOCHS = 12;

/** Dash pattern of test curves, in units of the line width. */
const TEST_DASH = [3.5, 2];

/** Ticks for whole epochs: steps of at least 1. */
export function epochTicks(last: number): Ticks {
  const t = niceTicks(0, Math.max(1, last), 5);
  if (t.step >= 1) return t;
  return { lo: 0, hi: Math.max(1, last), step: 1, values: Array.from({ length: Math.max(1, last) + 1 }, (_, i) => i) };
}

/** Two panels side by side: loss and accuracy against epoch; legend underneath. */
export function curvesFigure(data: CurvesData, opts: StyleOptions = {}): FigureOutput {
  if (data.runs.length === 0) throw new FigureRequestError('curves: no runs given');
  const withEpochs = data.runs.filter((r) => r.epochs.length > 0);
  if (withEpochs.length === 0) throw new FigureStateError('curves: the run has no finished epoch yet');
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const gap = style.fontSize;
  const panelW = (style.widthPt - 2 * pad - gap) / 2;
  const panelH = panelW * 0.85;
  const lastEpoch = Math.max(...withEpochs.flatMap((r) => r.epochs.map((e) => e.epoch)));
  const x = epochTicks(lastEpoch);
  const all = withEpochs.flatMap((r) => r.epochs);
  const lossValues = all.flatMap((e) => [e.trainLoss, e.testLoss]).filter(Number.isFinite);
  const accValues = all.flatMap((e) => [e.trainAccuracy, e.testAccuracy]).filter(Number.isFinite);
  const panels: Mark[] = [];
  const specs = [
    { label: 'Loss', values: lossValues, key: ['trainLoss', 'testLoss'] as const, lo: 0 },
    {
      label: 'Accuracy',
      values: accValues,
      key: ['trainAccuracy', 'testAccuracy'] as const,
      lo: Math.min(...accValues),
    },
  ];
  specs.forEach((spec, p) => {
    const box: Box = { x: pad + p * (panelW + gap), y: pad, width: panelW, height: panelH };
    const y = niceTicks(Math.min(spec.lo, ...spec.values), Math.max(...spec.values), 4);
    const plot = layoutPlot({ box, x, y, xLabel: 'Epoch', yLabel: spec.label, style });
    const lines: Mark[] = [];
    withEpochs.forEach((run, r) => {
      spec.key.forEach((k, t) =>
        lines.push(
          ...series(run.epochs, k, { sx: plot.sx, sy: plot.sy, color: categorical(r), dashed: t === 1, style }),
        ),
      );
    });
    const f = plot.frame;
    const m = style.lineWidth * 2; // let markers on the frame edge show whole
    panels.push(
      group(
        [
          ...plot.axes,
          group(lines, {
            name: 'data',
            clip: { x: f.x - m, y: f.y - m, width: f.width + 2 * m, height: f.height + 2 * m },
          }),
        ],
        { name: `panel-${spec.label.toLowerCase()}` },
      ),
    );
  });
  const markers = withEpochs.every((r) => r.epochs.length <= MAX_MARKED_EPOCHS);
  const entries = legendEntries(
    withEpochs.map((r) => r.name),
    TEST_DASH.map((d) => d * style.lineWidth),
    markers,
  );
  const leg = legendRow(entries, pad, pad + panelH + style.fontSize * 0.4, style.widthPt - 2 * pad, style);
  const rows = withEpochs.flatMap((r) =>
    r.epochs.map((e) => [r.name, e.epoch, e.trainLoss, e.testLoss, e.trainAccuracy, e.testAccuracy]),
  );
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: pad + panelH + style.fontSize * 0.4 + leg.height + pad,
      title: `Training curves: ${withEpochs.map((r) => r.name).join(', ')}`,
      background: '#FFFFFF',
      children: [...panels, group(leg.marks, { name: 'legend' })],
    },
    csv: toCsv(['run', 'epoch', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'], rows),
  };
}

function series(
  epochs: EpochMetrics[],
  key: keyof EpochMetrics,
  o: { sx: (v: number) => number; sy: (v: number) => number; color: string; dashed: boolean; style: FigureStyle },
): Mark[] {
  const pts = epochs.filter((e) => Number.isFinite(e[key])).flatMap((e) => [o.sx(e.epoch), o.sy(e[key])]);
  const w = o.style.lineWidth;
  const marks: Mark[] = [];
  if (pts.length >= 4)
    marks.push({
      type: 'polyline',
      points: pts,
      stroke: o.color,
      strokeWidth: w,
      dash: o.dashed ? TEST_DASH.map((d) => d * w) : undefined,
    });
  // markers while epochs are few enough to tell apart (and always for a single epoch, which has no line)
  if (epochs.length <= MAX_MARKED_EPOCHS) {
    for (let i = 0; i + 1 < pts.length; i += 2) {
      marks.push(
        o.dashed
          ? {
              type: 'circle',
              cx: pts[i],
              cy: pts[i + 1],
              r: w * 1.3,
              fill: '#FFFFFF',
              stroke: o.color,
              strokeWidth: w * 0.8,
            }
          : { type: 'circle', cx: pts[i], cy: pts[i + 1], r: w * 1.3, fill: o.color },
      );
    }
  }
  return marks;
}

/** One run: train/test in its colour. Several: one entry per run, then train/test in black. */
function legendEntries(names: string[], dash: number[], markers: boolean): LegendEntry[] {
  const train = markers ? ('circle' as const) : undefined;
  const test = markers ? ('ring' as const) : undefined;
  if (names.length === 1) {
    return [
      { label: 'train', color: categorical(0), marker: train },
      { label: 'test', color: categorical(0), dash, marker: test },
    ];
  }
  return [
    ...names.map((n, i) => ({ label: n, color: categorical(i) })),
    { label: 'train', color: '#000000', marker: train },
    { label: 'test', color: '#000000', dash, marker: test },
  ];
}
