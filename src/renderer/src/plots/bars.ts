/**
 * Framework-free ECharts adapter for bar charts: histograms (bars touching, series overlaid so
 * "kept" sits in front of "all") and small category charts (per-layer sparsity, with labels).
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption, type EChartsType } from 'echarts/core';
import { initChart } from './chart-init';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface BarsInput {
  categories: string[];
  /** per category, what the tooltip calls it (default: the category) */
  tooltipLabels?: string[];
  series: { id: string; name: string; color: string; values: number[] }[];
  yName: string;
  xName?: string;
  /** values are fractions shown as percentages */
  percent?: boolean;
  /** logarithmic counts (empty bins are left out) */
  logY?: boolean;
  /** histogram look: bars touch and series overlap */
  histogram?: boolean;
  /** value labels on the bars */
  labels?: boolean;
}

const TEXT = '#586170';

export class BarsPlot {
  private readonly chart: EChartsType;
  private input: BarsInput | null = null;
  private disposed = false;

  constructor(el: HTMLElement) {
    this.chart = initChart(el);
  }

  setData(input: BarsInput): void {
    this.input = input;
    this.chart.setOption(this.option(input), { notMerge: true, lazyUpdate: true });
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    this.chart.dispose();
  }

  private option(input: BarsInput): Option {
    const fmt = (v: number): string => (input.percent ? `${(v * 100).toFixed(1)}%` : formatCount(v));
    const hist = input.histogram ?? false;
    return {
      animation: false,
      textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', color: TEXT },
      grid: { left: 6, right: hist ? 14 : 10, top: 26, bottom: input.xName ? 18 : 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        textStyle: { fontSize: 12 },
        formatter: (raw) => {
          const params = raw as unknown as {
            dataIndex: number;
            marker: string;
            seriesName: string;
            value: number | null;
          }[];
          if (!params.length || !this.input) return '';
          const i = params[0].dataIndex;
          const head = this.input.tooltipLabels?.[i] ?? this.input.categories[i];
          return [
            `<div style="color:${TEXT}">${escapeHtml(head)}</div>`,
            ...params.map(
              (p) => `${p.marker}${escapeHtml(p.seriesName)} <b>${p.value === null ? 0 : fmt(p.value)}</b>`,
            ),
          ].join('');
        },
      },
      xAxis: {
        type: 'category',
        data: input.categories,
        name: input.xName,
        nameLocation: 'end',
        nameGap: 4,
        nameTextStyle: { fontSize: 11, color: TEXT },
        axisTick: { show: !hist, alignWithLabel: true },
        axisLine: { lineStyle: { color: '#b9c0ca' } },
        axisLabel: hist
          ? { fontSize: 10.5, color: TEXT, hideOverlap: true }
          : { fontSize: 10.5, color: TEXT, interval: 0, width: 64, overflow: 'break', lineHeight: 12 },
      },
      yAxis: {
        type: input.logY ? 'log' : 'value',
        name: input.yName,
        min: input.logY ? 1 : 0,
        max: input.percent ? 1 : undefined,
        nameTextStyle: { fontSize: 11, color: TEXT, align: 'left' },
        axisLabel: {
          fontSize: 10.5,
          color: TEXT,
          formatter: (v: number) => (input.percent ? `${Math.round(v * 100)}%` : formatCount(v)),
        },
        splitLine: { lineStyle: { color: '#eceef2' } },
      },
      series: input.series.map((s, k) => ({
        id: s.id,
        name: s.name,
        type: 'bar',
        color: s.color,
        data: s.values.map((v) => (input.logY && !(v > 0) ? null : v)),
        barGap: hist ? '-100%' : '20%',
        barCategoryGap: hist ? '4%' : '40%',
        barMaxWidth: hist ? undefined : 56,
        z: 2 + k,
        label: input.labels
          ? {
              show: true,
              position: 'top',
              fontSize: 11,
              color: TEXT,
              formatter: (p: { value: unknown }) => fmt(Number(p.value)),
            }
          : undefined,
        emphasis: { disabled: true },
        animation: false,
      })),
    };
  }
}

function formatCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Math.round(v));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
