/**
 * Framework-free ECharts adapter for training curves: data x = epoch (fractional for step
 * points), drawn on the epoch, step, samples or time axis through an XScale; one line per series. The chart is created once; `append` buffers points and flushes
 * them on a FrameClock tick (its own, at most 4 a second, or the live view's shared clock) with a
 * merging `setOption`, so the user's zoom (inside dataZoom) and legend selection survive live
 * updates.
 *
 * ECharts is imported modularly (line chart + the four components we use + canvas) to keep the
 * renderer bundle small; it never uses eval, so it runs under CSP `script-src 'self'`.
 */
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  MarkLineComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { connect, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { initChart } from './chart-init';
import { CanvasRenderer } from 'echarts/renderers';
import { FrameClock } from '../lib/frame-clock';
import { ema } from './smoothing';
import { runXScale, type XScale } from './x-scale';

use([
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomInsideComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

type CurvesOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption
>;

const MIN_FLUSH_INTERVAL_MS = 250;

/** [x (epoch), y] */
export type CurvePoint = [number, number];
/** series id -> points */
export type CurveBatch = Record<string, readonly CurvePoint[]>;

export interface CurveSeries {
  id: string;
  name: string;
  color: string;
  dashed?: boolean;
  /** line width in px (default 1.75) */
  width?: number;
  /** show a marker per point (default: only when the series has few points) */
  symbols?: boolean;
  /** draw below the others (e.g. the noisy live batch loss) */
  background?: boolean;
}

export interface CurvesOptions {
  /** y axis label, e.g. "loss" */
  yName: string;
  /** link tooltip and zoom with the other charts of this group (e.g. a view's loss and accuracy) */
  group?: string;
  /** y values are fractions shown as percentages */
  percent?: boolean;
  /** x axis label (default "epoch") */
  xName?: string;
  /** hide the legend (single obvious series) */
  legend?: boolean;
  /** redraws happen on this clock's ticks (default: the plot's own, at most 4 a second) */
  clock?: FrameClock;
}

const TEXT = '#586170';
const GRID_LINE = '#eceef2';
/** the scrubber's epoch line (the spike raster's step colour) */
const MARK_COLOR = '#EE6677';

const RAW = ':raw';

export class CurvesPlot {
  private readonly chart: EChartsType;
  /** EMA weight of the background (step) series; their raw points are then drawn faintly */
  private smoothing = 0;
  private series: CurveSeries[] = [];
  private readonly data = new Map<string, CurvePoint[]>();
  /** how the epoch-axis data is drawn (epoch, step, samples or time) */
  private scale: XScale;
  /** opts.clock, or the plot's own (disposed with it) */
  private readonly clock: FrameClock;
  private disposed = false;
  /** the x marked by a vertical line (e.g. the snapshot scrubber's epoch), or null */
  private mark: { x: number; label: string } | null = null;

  constructor(
    private readonly el: HTMLElement,
    private readonly opts: CurvesOptions,
  ) {
    this.clock = opts.clock ?? new FrameClock(MIN_FLUSH_INTERVAL_MS);
    this.scale = runXScale('epoch', { points: [], batches: 1, epochs: [], imagesPerEpoch: 1 }, null);
    if (opts.xName) this.scale = { ...this.scale, name: opts.xName };
    this.chart = initChart(el);
    this.chart.setOption(this.baseOption());
    if (opts.group) {
      // charts of one group share the tooltip position and the zoom (ECharts' connect)
      this.chart.group = opts.group;
      connect(opts.group);
    }
    // the visible x window in percent of the axis, on the element ("0.0-100.0" unzoomed): a zoom on one
    // chart of a group reaches the others as their own dataZoom action, so each marks its own window
    el.dataset.zoom = '0.0-100.0';
    this.chart.on('datazoom', (e) => {
      const w = zoomWindow(e);
      if (w) el.dataset.zoom = `${w.start.toFixed(1)}-${w.end.toFixed(1)}`;
    });
  }

  /** Declares the series (by id). Data of ids that stay is kept; removed ids are dropped. */
  setSeries(series: readonly CurveSeries[]): void {
    this.series = series.slice();
    for (const id of [...this.data.keys()]) if (!series.some((s) => s.id === id)) this.data.delete(id);
    for (const s of series) if (!this.data.has(s.id)) this.data.set(s.id, []);
    this.chart.setOption({ series: this.series.flatMap((s) => this.seriesOptions(s)) }, { replaceMerge: ['series'] });
  }

  /** EMA smoothing of the step series (0: off), raw points shown faintly behind. */
  setSmoothing(alpha: number): void {
    this.smoothing = Math.min(0.999, Math.max(0, alpha));
    this.scheduleFlush();
  }

  /** Logarithmic y axis (values must be positive: loss charts). */
  setLogY(on: boolean): void {
    this.chart.setOption({ yAxis: { type: on ? 'log' : 'value', scale: true } });
  }

  /** Fixes the x range to [0, max] (the planned epochs), so charts of one view line up. */
  setXMax(max: number | null): void {
    this.setXScale({ ...this.scale, max });
  }

  /** Draws the (epoch-axis) data on another x axis: step, samples seen or training time (x-scale.ts). */
  setXScale(scale: XScale): void {
    const axisChanged = scale.mode !== this.scale.mode || scale.name !== this.scale.name;
    this.scale = scale;
    const max = scale.max && scale.max > 0 ? scale.max : 'dataMax';
    this.chart.setOption({ xAxis: { name: scale.name, max, minInterval: scale.integer ? 1 : 0 } });
    this.el.dataset.xAxis = scale.mode;
    if (axisChanged) this.resetZoom(); // a zoom window on one axis means nothing on another
    this.scheduleFlush();
  }

  /** Marks x with a labelled vertical line (the scrubber's epoch on the curves); null removes it. */
  setMark(x: number | null, label = x === null ? '' : `epoch ${x}`): void {
    this.mark = x === null ? null : { x, label };
    this.scheduleFlush();
  }

  /** Replaces all data (empty when `batch` is omitted). Zoom is kept. */
  reset(batch: CurveBatch = {}): void {
    for (const s of this.series) this.data.set(s.id, (batch[s.id] ?? []).slice());
    this.scheduleFlush();
  }

  /** Adds points to the end of their series; drawn on the next animation frame. */
  append(batch: CurveBatch): void {
    for (const [id, points] of Object.entries(batch)) {
      const target = this.data.get(id);
      if (!target) continue;
      for (const p of points) {
        // an epoch re-reported (e.g. after a resume) replaces the old point instead of zig-zagging
        while (target.length && target[target.length - 1][0] >= p[0]) target.pop();
        target.push([p[0], p[1]]);
      }
    }
    this.scheduleFlush();
  }

  /** Replaces the data of the listed series only (e.g. the live points of a new epoch). */
  replace(batch: CurveBatch): void {
    for (const [id, points] of Object.entries(batch)) if (this.data.has(id)) this.data.set(id, points.slice());
    this.scheduleFlush();
  }

  resetZoom(): void {
    this.chart.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    if (this.opts.clock) this.clock.cancel(this);
    else this.clock.dispose();
    this.chart.dispose();
  }

  private scheduleFlush(): void {
    if (!this.disposed) this.clock.schedule(this, () => this.flush());
  }

  private flush(): void {
    if (this.disposed) return;
    const series = this.series.flatMap((s) => {
      const data = this.mapped(s.id);
      if (!s.background) return [{ id: s.id, data: data.slice(), showSymbol: s.symbols ?? data.length <= 12 }];
      const smooth = this.smoothing > 0;
      return [
        { id: s.id, data: smooth ? ema(data, this.smoothing) : data.slice(), showSymbol: false },
        { id: s.id + RAW, data: smooth ? data.slice() : [], showSymbol: false },
      ];
    });
    // merge mode: only series data changes; dataZoom / legend state stay as the user left them.
    // Not lazy: the tick already runs in an animation frame, and painting now puts the chart in
    // the same frame as everything else the tick changed.
    // the mark rides on the first series (a markLine needs one); an empty list removes it
    if (series[0]) Object.assign(series[0], { markLine: this.markLine(series[0].id as string) });
    this.chart.setOption({ series }, { silent: true });
    // for tests and tools: how many points each series shows ("steps:120 trainLoss:2 ...")
    this.el.dataset.points = series.map((s) => `${s.id}:${s.data.length}`).join(' ');
  }

  /** a series' points on the current x axis */
  private mapped(id: string): CurvePoint[] {
    const data = this.data.get(id) ?? [];
    if (this.scale.mode === 'epoch') return data;
    return data.map(([x, y]) => [this.scale.map(x, id), y]);
  }

  /** the marked epoch as a vertical line, on the current x axis (mapped through `seriesId`'s epochs) */
  private markLine(seriesId: string): LineSeriesOption['markLine'] {
    const m = this.mark;
    const x = m && (this.scale.mode === 'epoch' ? m.x : this.scale.map(m.x, seriesId));
    return {
      silent: true,
      symbol: 'none',
      animation: false,
      lineStyle: { color: MARK_COLOR, type: 'solid', width: 1.2 },
      // at x = 0 the rotated label would sit on the y-axis labels: the line alone marks epoch 0
      label: {
        show: !!x && x > 0,
        formatter: m?.label ?? '',
        color: MARK_COLOR,
        fontSize: 10.5,
        position: 'insideEndTop',
      },
      data: m && x !== null && Number.isFinite(x) ? [{ xAxis: x }] : [],
    };
  }

  /** a series' option, and for a background (step) series the faint raw copy shown when smoothing */
  private seriesOptions(s: CurveSeries): LineSeriesOption[] {
    const main = this.seriesOption(s);
    if (!s.background) return [main];
    return [
      main,
      { ...main, id: s.id + RAW, data: [], z: 0, lineStyle: { width: 1, opacity: 0.28 }, tooltip: { show: false } },
    ];
  }

  private seriesOption(s: CurveSeries): LineSeriesOption {
    return {
      id: s.id,
      name: s.name,
      type: 'line',
      data: this.data.get(s.id) ?? [],
      color: s.color,
      symbolSize: 4,
      showSymbol: s.symbols ?? false,
      z: s.background ? 1 : 2,
      lineStyle: { width: s.width ?? 1.75, type: s.dashed ? 'dashed' : 'solid' },
      emphasis: { disabled: true },
      animation: false,
      connectNulls: false,
    };
  }

  private baseOption(): CurvesOption {
    const pct = this.opts.percent;
    const showLegend = this.opts.legend !== false;
    const valueText = (v: number): string => (pct ? `${(v * 100).toFixed(2)}%` : v.toFixed(4));
    return {
      animation: false,
      textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', color: TEXT },
      grid: { left: 8, right: 18, top: 30, bottom: 34, containLabel: true },
      legend: showLegend
        ? { top: 0, right: 4, itemWidth: 16, itemHeight: 8, itemGap: 12, textStyle: { fontSize: 11, color: TEXT } }
        : { show: false },
      tooltip: {
        trigger: 'axis',
        // one precision per chart: percentages with 2 decimals, losses with 4
        axisPointer: { type: 'line', lineStyle: { color: '#b9c0ca' } },
        textStyle: { fontSize: 12 },
        formatter: (params) => tooltipHtml(params as unknown as TooltipParam[], valueText, (x) => this.scale.label(x)),
      },
      xAxis: {
        type: 'value',
        name: this.scale.name,
        nameLocation: 'middle',
        nameGap: 20,
        nameTextStyle: { fontSize: 11, color: TEXT },
        min: 0,
        minInterval: 1,
        axisLine: { lineStyle: { color: '#b9c0ca' } },
        axisLabel: {
          fontSize: 11,
          color: TEXT,
          showMinLabel: false,
          showMaxLabel: true,
          formatter: (v: number) => this.scale.tick(v),
        },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: this.opts.yName,
        nameTextStyle: { fontSize: 11, color: TEXT, align: 'left' },
        scale: true,
        axisLabel: {
          fontSize: 11,
          color: TEXT,
          formatter: (v: number) => (pct ? formatPercentTick(v) : formatTick(v)),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
      series: [],
    };
  }
}

interface TooltipParam {
  marker: string;
  seriesName: string;
  value: [number, number];
}

/** Series names may be user text (run names): escaped; ECharts' own markers are trusted. */
function tooltipHtml(params: TooltipParam[], valueText: (v: number) => string, xLabel: (x: number) => string): string {
  if (!params.length) return '';
  const head = `<div style="margin-bottom:3px;color:${TEXT}">${escapeHtml(xLabel(params[0].value[0]))}</div>`;
  const rows = params.map(
    (p) =>
      `<div style="display:flex;gap:10px;justify-content:space-between"><span>${p.marker}${escapeHtml(p.seriesName)}</span><b style="font-variant-numeric:tabular-nums">${valueText(p.value[1])}</b></div>`,
  );
  return head + rows.join('');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatPercentTick(v: number): string {
  const pct = v * 100;
  return `${Number.isInteger(Math.round(pct * 1000) / 1000) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function formatTick(v: number, digits = 3): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(digits)));
}

/** start and end (percent) of a datazoom event: on the event itself, or in its batch (an inside zoom) */
function zoomWindow(e: unknown): { start: number; end: number } | null {
  const ev = e as { start?: number; end?: number; batch?: { start?: number; end?: number }[] };
  const w = ev.batch?.[0] ?? ev;
  return typeof w.start === 'number' && typeof w.end === 'number' ? { start: w.start, end: w.end } : null;
}
