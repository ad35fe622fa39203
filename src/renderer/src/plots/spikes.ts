/**
 * Spike plots: a raster drawn straight on a canvas (x = time step, y = neuron, one dot per spike:
 * a 2048-neuron layer is tens of thousands of dots, too many for an ECharts scatter to redraw on
 * every step) and an ECharts adapter for membrane potentials over time with the threshold dashed.
 */
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption, type EChartsType } from 'echarts/core';
import { initChart } from './chart-init';
import { CanvasRenderer } from 'echarts/renderers';
import { TOL_BRIGHT } from './palette';

use([LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export const SPIKE_COLOR = '#2b3a55';
const STEP_COLOR = '#EE6677';
const SELECTED_BAND = 'rgba(68, 119, 170, 0.18)';
const TEXT = '#586170';

export interface RasterInput {
  /** [T * n] 0/1 */
  spikes: Uint8Array;
  n: number;
  timeSteps: number;
  /** the step the player shows (a vertical marker), if any */
  step?: number;
  /** neurons highlighted as bands */
  selected?: readonly number[];
}

/** Draws the raster into a canvas sized to its CSS box (device pixels); returns the dots drawn. */
export function drawRaster(canvas: HTMLCanvasElement, input: RasterInput): number {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  const { spikes, n, timeSteps: T } = input;
  const cw = w / T;
  const rh = h / n;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = SELECTED_BAND;
  for (const i of input.selected ?? []) ctx.fillRect(0, i * rh, w, Math.max(rh, 2 * dpr));
  if (input.step !== undefined) {
    ctx.fillStyle = 'rgba(238, 102, 119, 0.12)';
    ctx.fillRect(input.step * cw, 0, cw, h);
  }
  // a dot is a cell-wide dash when rows are thin, a round-ish block when they are tall
  const dw = Math.max(1, Math.min(cw * 0.7, 6 * dpr));
  const dh = rh >= 1 ? Math.min(Math.max(rh * 0.8, 1.5 * dpr), 6 * dpr) : 1;
  ctx.fillStyle = SPIKE_COLOR;
  let dots = 0;
  for (let t = 0; t < T; t++) {
    const x = t * cw + (cw - dw) / 2;
    const row = t * n;
    for (let i = 0; i < n; i++) {
      if (!spikes[row + i]) continue;
      ctx.fillRect(x, i * rh + (rh - dh) / 2, dw, dh);
      dots++;
    }
  }
  if (input.step !== undefined) {
    ctx.fillStyle = STEP_COLOR;
    ctx.fillRect(input.step * cw, 0, Math.max(1, dpr), h);
  }
  return dots;
}

/** The time step under an x offset (CSS px) of a raster `width` px wide with T steps. */
export function rasterStepAt(x: number, width: number, timeSteps: number): number {
  return Math.min(timeSteps - 1, Math.max(0, Math.floor((x / width) * timeSteps)));
}

/** The neuron under a y offset (CSS px) of a raster `height` px tall. */
export function rasterNeuronAt(y: number, height: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor((y / height) * n)));
}

type MembraneOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | MarkLineComponentOption
>;

export interface MembraneTrace {
  id: string;
  name: string;
  /** [T] */
  values: ArrayLike<number>;
}

export interface MembraneInput {
  traces: MembraneTrace[];
  threshold: number;
  timeSteps: number;
  /** the step the player shows */
  step?: number;
}

export const membraneColor = (i: number): string => TOL_BRIGHT[i % (TOL_BRIGHT.length - 1)];

export class MembranePlot {
  private readonly chart: EChartsType;
  private disposed = false;

  constructor(el: HTMLElement) {
    this.chart = initChart(el);
  }

  setData(input: MembraneInput): void {
    this.chart.setOption(option(input), { notMerge: true, lazyUpdate: true });
  }

  resize(): void {
    if (!this.disposed) this.chart.resize();
  }

  dispose(): void {
    this.disposed = true;
    this.chart.dispose();
  }
}

function option(input: MembraneInput): MembraneOption {
  const last = Math.max(0, input.timeSteps - 1);
  const lines: LineSeriesOption[] = input.traces.map((tr, k) => ({
    id: tr.id,
    name: tr.name,
    type: 'line',
    color: membraneColor(k),
    showSymbol: input.timeSteps <= 40,
    symbolSize: 4,
    lineStyle: { width: 1.6 },
    data: Array.from(tr.values, (v, t) => [t, v]),
    animation: false,
  }));
  const threshold: LineSeriesOption = {
    id: 'threshold',
    name: `threshold ${input.threshold}`,
    type: 'line',
    color: '#8a93a3',
    showSymbol: false,
    lineStyle: { type: 'dashed', width: 1.2 },
    data: [
      [0, input.threshold],
      [last, input.threshold],
    ],
    tooltip: { show: false },
    // the player's step as a vertical line
    markLine:
      input.step === undefined
        ? undefined
        : {
            silent: true,
            symbol: 'none',
            animation: false,
            label: { show: false },
            lineStyle: { color: STEP_COLOR, type: 'solid', width: 1, opacity: 0.6 },
            data: [{ xAxis: input.step }],
          },
    animation: false,
  };
  return {
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', color: TEXT },
    grid: { left: 8, right: 16, top: 46, bottom: 22, containLabel: true },
    legend: {
      top: 2,
      left: 4,
      right: 4,
      type: 'plain',
      itemWidth: 16,
      itemHeight: 8,
      textStyle: { fontSize: 11, color: TEXT },
      data: [...input.traces.map((t) => t.name), threshold.name as string],
    },
    tooltip: {
      trigger: 'axis',
      textStyle: { fontSize: 12 },
      valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : String(v)),
    },
    xAxis: {
      type: 'value',
      name: 'time step',
      nameLocation: 'middle',
      nameGap: 22,
      min: 0,
      max: last,
      minInterval: 1,
      nameTextStyle: { fontSize: 11 },
      axisLabel: { fontSize: 10.5 },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: 'membrane U',
      nameTextStyle: { fontSize: 11, align: 'left' },
      axisLabel: { fontSize: 10.5 },
      splitLine: { lineStyle: { color: '#eceef2' } },
    },
    series: [...lines, threshold],
  };
}
