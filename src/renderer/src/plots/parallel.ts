/**
 * Parallel coordinates of the History table (ECharts): one axis per chosen column (numbers as
 * value axes, text as category axes), one line per run; brushing an axis (drag along it) selects
 * runs, and the ids of the lines inside every brushed interval are reported (the table filters).
 */
import { ParallelChart, type ParallelSeriesOption } from 'echarts/charts';
import { ParallelComponent, TooltipComponent } from 'echarts/components';
import { use, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { initChart } from './chart-init';

use([ParallelChart, ParallelComponent, TooltipComponent, CanvasRenderer]);

export interface ParallelAxis {
  key: string;
  label: string;
  numeric: boolean;
}

export interface ParallelLine {
  id: string;
  name: string;
  values: (string | number | null)[];
}

export class ParallelPlot {
  private readonly chart: EChartsType;

  /** per axis (dim): the brushed intervals, in data values (category axes: category indices) */
  private readonly brush = new Map<number, number[][]>();
  private lines: readonly ParallelLine[] = [];
  private categories: (string[] | null)[] = [];

  constructor(el: HTMLElement, onBrush: (ids: Set<string> | null) => void) {
    this.chart = initChart(el);
    this.chart.on('axisareaselected', (e: unknown) => {
      const { parallelAxisId, intervals } = e as { parallelAxisId?: string; intervals?: number[][] };
      const dim = Number(/^axis-(\d+)$/.exec(parallelAxisId ?? '')?.[1] ?? NaN);
      if (!Number.isFinite(dim)) return;
      if (intervals?.length) this.brush.set(dim, intervals);
      else this.brush.delete(dim);
      onBrush(this.brush.size ? this.selected() : null);
    });
  }

  /** ids of the lines inside a brushed interval of every brushed axis */
  private selected(): Set<string> {
    const inside = (l: ParallelLine): boolean =>
      [...this.brush].every(([d, intervals]) => {
        const raw = l.values[d];
        const cats = this.categories[d];
        const v = cats ? cats.indexOf(String(raw ?? '—')) : typeof raw === 'number' ? raw : NaN;
        return intervals.some(([lo, hi]) => v >= Math.min(lo, hi) && v <= Math.max(lo, hi));
      });
    return new Set(this.lines.filter(inside).map((l) => l.id));
  }

  set(axes: readonly ParallelAxis[], lines: readonly ParallelLine[], highlight: string): void {
    this.lines = lines;
    this.brush.clear();
    const categories = axes.map((a, d) =>
      a.numeric ? null : [...new Set(lines.map((l) => String(l.values[d] ?? '—')))].sort(),
    );
    const series: ParallelSeriesOption = {
      type: 'parallel',
      lineStyle: { width: 1.2, opacity: 0.55, color: highlight },
      inactiveOpacity: 0.06,
      activeOpacity: 0.9,
      data: lines.map((l) => ({
        name: l.name,
        value: l.values.map((v, d) => (axes[d].numeric ? (v ?? NaN) : String(v ?? '—'))),
      })),
    };
    this.chart.setOption(
      {
        animation: false,
        tooltip: { show: true, trigger: 'item', formatter: (p: { name?: string }) => p.name ?? '' },
        parallel: {
          left: 60,
          right: 90,
          top: 36,
          bottom: 24,
          parallelAxisDefault: {
            nameLocation: 'end',
            nameGap: 12,
            nameTextStyle: { fontSize: 11 },
            axisLabel: { fontSize: 10 },
          },
        },
        parallelAxis: axes.map((a, d) => ({
          id: `axis-${d}`,
          dim: d,
          name: a.label.length > 22 ? `…${a.label.slice(-21)}` : a.label,
          type: a.numeric ? 'value' : 'category',
          data: categories[d] ?? undefined,
          scale: true,
        })),
        series: [series],
      },
      { notMerge: true },
    );
    this.categories = categories;
  }

  resize(): void {
    this.chart.resize();
  }

  dispose(): void {
    this.chart.dispose();
  }
}
