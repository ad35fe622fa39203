/**
 * Framework-free ECharts adapter for accuracy-vs-sparsity charts (pruning studies, a run's
 * post-training sweep). x = pruning rate in %, y = test accuracy. Each line may carry a shaded
 * spread (lo..hi, drawn as one polygon by a custom series with the line's name, so toggling the
 * line in the legend toggles its band too). Points with a `key` are clickable (`onSelect`).
 *
 * The chart's content is one plain `SparsityChartData` object (what an exporter would write).
 */
import { CustomChart, LineChart, type CustomSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption, type EChartsType } from 'echarts/core';
import { initChart } from './chart-init';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemReturn } from 'echarts';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface SparsityPoint {
  /** pruning rate (fraction removed) */
  x: number;
  /** test accuracy (mean over seeds for measured points) */
  y: number;
  /** spread shown as a band, e.g. min..max or mean ± std */
  lo?: number;
  hi?: number;
  std?: number;
  n?: number;
  /** clickable: the point's identity (e.g. "model|mode|rate") */
  key?: string;
}

export type LineKind = 'measured' | 'paper' | 'reference';

export interface SparsityLine {
  id: string;
  name: string;
  color: string;
  /** 'dashdot': the paper's during-training curves (post-training ones are dotted) */
  dash: 'solid' | 'dashed' | 'dotted' | 'dashdot';
  kind: LineKind;
  points: SparsityPoint[];
  /** draw the lo..hi band of the points */
  band?: boolean;
}

export interface SparsityChartData {
  title: string;
  xName: string;
  yName: string;
  lines: SparsityLine[];
  /** how the band was computed, e.g. "min–max over seeds" */
  spread?: string;
  /** where reference values come from */
  source?: string;
}

const TEXT = '#586170';
const GRID_LINE = '#eceef2';
/** a "×" marker for the paper's values (ECharts has no built-in cross) */
const CROSS = 'path://M0,0L10,10M10,0L0,10';

type Option = ComposeOption<
  LineSeriesOption | CustomSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export class SparsityPlot {
  private readonly chart: EChartsType;
  private data: SparsityChartData | null = null;
  private selected: string | null = null;
  private disposed = false;
  private selectListener: ((key: string) => void) | null = null;

  constructor(el: HTMLElement) {
    this.chart = initChart(el);
    this.chart.setOption(this.baseOption());
    this.chart.on('click', (p) => {
      const key = (p.data as { key?: string } | undefined)?.key;
      if (key && this.selectListener) this.selectListener(key);
    });
  }

  onSelect(listener: (key: string) => void): void {
    this.selectListener = listener;
  }

  setData(data: SparsityChartData): void {
    this.data = data;
    this.render();
  }

  /** highlights one clickable point (null: none) */
  setSelected(key: string | null): void {
    this.selected = key;
    this.render();
  }

  /** shows or hides every series with this name (the HTML legend calls this) */
  setVisible(name: string, visible: boolean): void {
    this.chart.dispatchAction({ type: visible ? 'legendSelect' : 'legendUnSelect', name });
  }

  /** screen position (CSS px, relative to the chart) of every clickable point */
  pointPixels(): { key: string; x: number; y: number }[] {
    const out: { key: string; x: number; y: number }[] = [];
    for (const line of this.data?.lines ?? []) {
      for (const p of line.points) {
        if (!p.key) continue;
        const px = this.chart.convertToPixel({ seriesId: line.id }, [p.x * 100, p.y]) as number[] | undefined;
        if (px && Number.isFinite(px[0])) out.push({ key: p.key, x: px[0], y: px[1] });
      }
    }
    return out;
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    this.chart.dispose();
  }

  private render(): void {
    if (this.disposed || !this.data) return;
    const series: (LineSeriesOption | CustomSeriesOption)[] = [];
    for (const line of this.data.lines) {
      if (line.band && line.points.some((p) => p.lo !== undefined)) series.push(bandSeries(line));
      series.push(lineSeries(line));
    }
    const sel = this.selectedPoint();
    if (sel) {
      series.push({
        id: '__selected',
        type: 'line',
        data: [[sel.x * 100, sel.y]],
        symbol: 'circle',
        symbolSize: 15,
        itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#1a1e24', borderWidth: 2 },
        silent: true,
        z: 10,
        tooltip: { show: false },
        animation: false,
      });
    }
    const ys = this.data.lines.flatMap((l) => l.points.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]));
    const lo = ys.length ? Math.max(0, Math.floor(Math.min(...ys) * 10) / 10) : 0;
    const opt: Option = {
      xAxis: { name: this.data.xName },
      yAxis: { name: this.data.yName, min: lo, max: 1 },
      legend: { show: false, data: [...new Set(this.data.lines.map((l) => l.name))] },
      series,
    };
    this.chart.setOption(opt, { replaceMerge: ['series'] });
  }

  private selectedPoint(): SparsityPoint | undefined {
    if (!this.selected) return undefined;
    for (const l of this.data?.lines ?? []) for (const p of l.points) if (p.key === this.selected) return p;
    return undefined;
  }

  private baseOption(): Option {
    return {
      animation: false,
      textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', color: TEXT },
      grid: { left: 8, right: 36, top: 28, bottom: 22, containLabel: true },
      tooltip: {
        trigger: 'item',
        textStyle: { fontSize: 12 },
        formatter: (p) => tooltipHtml(p as unknown as TooltipParam),
      },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 10,
        nameLocation: 'middle',
        nameGap: 24,
        nameTextStyle: { fontSize: 11, color: TEXT },
        axisLine: { lineStyle: { color: '#b9c0ca' } },
        axisLabel: { fontSize: 11, color: TEXT, formatter: (v: number) => `${v}%` },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        nameTextStyle: { fontSize: 11, color: TEXT, align: 'left' },
        axisLabel: { fontSize: 11, color: TEXT, formatter: (v: number) => `${Math.round(v * 100)}%` },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      series: [],
    };
  }
}

function lineSeries(line: SparsityLine): LineSeriesOption {
  const measured = line.kind === 'measured';
  return {
    id: line.id,
    name: line.name,
    type: 'line',
    color: line.color,
    data: line.points.map((p) => ({ value: [p.x * 100, p.y], key: p.key, point: p, line: line.name })),
    showSymbol: line.kind !== 'reference',
    symbol: line.kind === 'paper' ? CROSS : 'circle',
    symbolSize: measured ? 8 : 7,
    itemStyle: line.kind === 'paper' ? { borderColor: line.color, borderWidth: 1.6, color: line.color } : undefined,
    lineStyle: {
      width: line.kind === 'reference' ? 1.2 : measured ? 2 : 1.4,
      type: line.dash === 'dashdot' ? [7, 3, 1.5, 3] : line.dash,
      opacity: line.kind === 'paper' ? 0.8 : 1,
    },
    cursor: measured ? 'pointer' : 'default',
    silent: line.kind === 'reference',
    z: measured ? 4 : 3,
    emphasis: { scale: measured ? 1.5 : false, focus: 'none' },
    animation: false,
  };
}

/** the lo..hi spread as one polygon (upper edge left to right, lower edge back) */
function bandSeries(line: SparsityLine): CustomSeriesOption {
  const pts = line.points.filter((p) => p.lo !== undefined && p.hi !== undefined);
  return {
    id: `${line.id}:band`,
    name: line.name,
    type: 'custom',
    data: [0],
    silent: true,
    z: 1,
    tooltip: { show: false },
    renderItem: (_params: unknown, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
      const upper = pts.map((p) => api.coord([p.x * 100, p.hi as number]));
      const lower = pts.map((p) => api.coord([p.x * 100, p.lo as number])).reverse();
      return { type: 'polygon', shape: { points: [...upper, ...lower] }, style: { fill: line.color, opacity: 0.16 } };
    },
    animation: false,
  };
}

interface TooltipParam {
  marker: string;
  seriesName: string;
  data?: { point?: SparsityPoint };
}

const pct = (v: number, d = 1): string => `${(v * 100).toFixed(d)}%`;

function tooltipHtml(p: TooltipParam): string {
  const pt = p.data?.point;
  if (!pt) return '';
  const rows = [
    `${p.marker}<b>${escapeHtml(p.seriesName)}</b>`,
    `rate ${pct(pt.x, 0)} · accuracy <b>${pct(pt.y, 2)}</b>`,
  ];
  if (pt.n !== undefined) rows.push(pt.n > 1 ? `± ${pct(pt.std ?? 0, 2)} (std) · n = ${pt.n}` : 'n = 1 (no spread)');
  if (pt.lo !== undefined && pt.hi !== undefined) rows.push(`spread ${pct(pt.lo, 2)} – ${pct(pt.hi, 2)}`);
  if (pt.key) rows.push('<span style="color:#8a93a1">click to show the network</span>');
  return rows.join('<br/>');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
