/**
 * Every ECharts chart of the lab is created here. zrender keeps requesting animation frames for
 * ten frames after each redraw before it sleeps; a live view redrawing twice a second would keep
 * the page producing ~20 frames a second for nothing. Our charts do not animate, so they sleep
 * after one still frame (input and setOption wake them as usual).
 */
import { init, type EChartsType } from 'echarts/core';

export function initChart(el: HTMLElement): EChartsType {
  const chart = init(el, undefined, { renderer: 'canvas' });
  chart.getZr().setSleepAfterStill(1);
  return chart;
}
