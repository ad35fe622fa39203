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
  private ids: string[] = [];

  constructor(el: HTMLElement, onBrush: (ids: Set<string> | null) => void) {
    this.chart = initChart(el);
    // 'axisareaselected': the selection changed; the series' active lines are those inside every brushed interval
    this.chart.on('axisareaselected', () => {
      const option = this.chart.getOption() as { parallelAxis?: { areaSelect?: unknown[] }[] };
      const brushed = (option.parallelAxis ?? []).some((a) => (a.areaSelect?.length ?? 0) > 0);
      if (!brushed) return onBrush(null);
      const model = (this.chart as unknown as { getModel(): { getSeriesByIndex(i: number): { getData(): { getItemVisual?: unknown; count(): number }; getRawIndicesByActiveState(s: string): number[] } } }).getModel();
      const active = model.getSeriesByIndex(0).getRawIndicesByActiveState('active');
      onBrush(new Set(active.map((i) => this.ids[i])));
    });
  }

  set(axes: readonly ParallelAxis[], lines: readonly ParallelLine[], highlight: string): void {
    this.ids = lines.map((l) => l.id);
    const categories = axes.map((a, d) => (a.numeric ? null : [...new Set(lines.map((l) => String(l.values[d] ?? '—')))].sort()));
    const series: ParallelSeriesOption = {
      type: 'parallel',
      lineStyle: { width: 1.2, opacity: 0.55, color: highlight },
      inactiveOpacity: 0.06,
      activeOpacity: 0.9,
      data: lines.map((l) => ({ name: l.name, value: l.values.map((v, d) => (axes[d].numeric ? (v ?? NaN) : String(v ?? '—'))) })),
    };
    this.chart.setOption(
      {
        animation: false,
        tooltip: { show: true, trigger: 'item', formatter: (p: { name?: string }) => p.name ?? '' },
        parallel: { left: 60, right: 90, top: 36, bottom: 24, parallelAxisDefault: { nameLocation: 'end', nameGap: 12, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } } },
        parallelAxis: axes.map((a, d) => ({
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
  }

  resize(): void {
    this.chart.resize();
  }

  dispose(): void {
    this.chart.dispose();
  }
}
