/**
 * Wiring and topography per epoch of one or more spatial runs (issue 15): total length sum d,
 * strength-weighted length sum |w| d, share of sum |w| on the shortest 10 % of connections, and
 * Moran's I of class selectivity of the first hidden layer (its permutation baseline dotted).
 */
import type { TopographyEpoch, WiringEpoch } from '../../../shared/analysis';
import { layoutPlot, niceTicks, type Box } from '../axes';
import { toCsv } from '../csv';
import { legendRow } from '../legend';
import { group, type FigureOutput, type Mark } from '../model';
import { categorical } from '../palettes';
import { figureStyle, type StyleOptions } from '../presets';
import { epochTicks } from './curves';

export interface WiringData {
  runs: { name: string; wiring: WiringEpoch[]; topography: TopographyEpoch[] }[];
}

type Point = { epoch: number; value: number };

const PANELS: {
  label: string;
  pick: (w: WiringEpoch | undefined, t: TopographyEpoch | undefined) => number | undefined;
}[] = [
  { label: 'Total length Σd', pick: (w) => w?.totalLength },
  { label: 'Weighted length Σ|w|d', pick: (w) => w?.weightedLength },
  { label: '|w| share, shortest 10%', pick: (w) => w?.shortShare },
  { label: "Moran's I (hidden 1)", pick: (_w, t) => t?.layers[0]?.moranI },
];

/** Four panels (2 x 2) against epoch, one colour per run; the Moran panel dots each run's baseline. */
export function wiringFigure(data: WiringData, opts: StyleOptions = {}): FigureOutput {
  const runs = data.runs.filter((r) => r.wiring.length > 0);
  if (runs.length === 0)
    throw new Error(
      'wiring: no run has wiring measurements (spatial runs trained with this version record them every epoch)',
    );
  const style = figureStyle(opts, 'single');
  const pad = style.fontSize * 0.5;
  const gap = style.fontSize;
  const panelW = (style.widthPt - 2 * pad - gap) / 2;
  const panelH = panelW * 0.8;
  const lastEpoch = Math.max(...runs.flatMap((r) => r.wiring.map((w) => w.epoch)));
  const x = epochTicks(lastEpoch);
  const children: Mark[] = [];
  const csvRows: (string | number)[][] = [];
  PANELS.forEach((panel, p) => {
    const series = runs.map((r) => points(r, panel.pick));
    const baselines =
      p === 3
        ? runs.map((r) => r.topography.map((t) => ({ epoch: t.epoch, value: t.layers[0]?.baselineMean ?? NaN })))
        : [];
    const values = [...series, ...baselines]
      .flat()
      .map((q) => q.value)
      .filter(Number.isFinite);
    if (values.length === 0) values.push(0, 1);
    const y = niceTicks(Math.min(...values, p === 3 ? 0 : Infinity), Math.max(...values), 4);
    const box: Box = {
      x: pad + (p % 2) * (panelW + gap),
      y: pad + Math.floor(p / 2) * (panelH + gap * 0.5),
      width: panelW,
      height: panelH,
    };
    const plot = layoutPlot({ box, x, y, xLabel: 'Epoch', yLabel: panel.label, style });
    const lines: Mark[] = [];
    const draw = (pts: Point[], color: string, dash?: number[]): void => {
      const xy = pts.flatMap((q) => [plot.sx(q.epoch), plot.sy(q.value)]);
      if (xy.length >= 4)
        lines.push({ type: 'polyline', points: xy, stroke: color, strokeWidth: style.lineWidth, dash });
      for (let i = 0; i + 1 < xy.length; i += 2)
        lines.push({ type: 'circle', cx: xy[i], cy: xy[i + 1], r: style.lineWidth * 1.3, fill: color });
    };
    series.forEach((pts, r) => draw(pts, categorical(r)));
    baselines.forEach((pts, r) =>
      draw(
        pts.filter((q) => Number.isFinite(q.value)),
        categorical(r),
        [1, 2].map((d) => d * style.lineWidth),
      ),
    );
    children.push(group([...plot.axes, group(lines, { name: 'data' })], { name: `panel-${p}` }));
    series.forEach((pts, r) => pts.forEach((q) => csvRows.push([runs[r].name, panel.label, q.epoch, q.value])));
  });
  const legendY = pad + 2 * panelH + gap * 0.5 + style.fontSize * 0.4;
  const leg = legendRow(
    [
      ...runs.map((r, i) => ({ label: r.name, color: categorical(i) })),
      { label: 'permutation baseline', color: '#000000', dash: [1, 2] },
    ],
    pad,
    legendY,
    style.widthPt - 2 * pad,
    style,
  );
  return {
    figure: {
      widthPt: style.widthPt,
      heightPt: legendY + leg.height + pad,
      title: `Wiring: ${runs.map((r) => r.name).join(', ')}`,
      background: '#FFFFFF',
      children: [...children, group(leg.marks, { name: 'legend' })],
    },
    csv: toCsv(['run', 'metric', 'epoch', 'value'], csvRows),
  };
}

function points(run: WiringData['runs'][number], pick: (typeof PANELS)[number]['pick']): Point[] {
  const topo = new Map(run.topography.map((t) => [t.epoch, t]));
  return run.wiring
    .map((w) => ({ epoch: w.epoch, value: pick(w, topo.get(w.epoch)) ?? NaN }))
    .filter((q) => Number.isFinite(q.value));
}
