/**
 * Every ECharts chart of the lab is created here.
 *
 * - zrender keeps requesting animation frames for ten frames after each redraw before it sleeps;
 *   a live view redrawing every second would keep the page producing frames for nothing. Our
 *   charts do not animate, so they sleep after one still frame (input and setOption wake them).
 * - Without a GPU (lib/render-env: the embedding's WebGL is SwiftShader / llvmpipe) a GPU-
 *   accelerated 2D canvas is rasterised by the emulated GPU; Skia's own CPU raster is cheaper.
 *   Canvases made then ask for a CPU canvas (`willReadFrequently`): bench:lab measured Chromium's
 *   CPU during a live run at 0.28 -> 0.23 cores with accelerated canvases off.
 */
import { init, setPlatformAPI, type EChartsType } from 'echarts/core';
import { knownSoftwareRendering } from '../lib/render-env';

setPlatformAPI({
  createCanvas() {
    const canvas = document.createElement('canvas');
    if (knownSoftwareRendering()) {
      const getContext = canvas.getContext.bind(canvas) as (id: string, options?: object) => RenderingContext | null;
      Object.defineProperty(canvas, 'getContext', {
        value: (id: string, options?: object) =>
          getContext(id, id === '2d' ? { ...options, willReadFrequently: true } : options),
      });
    }
    return canvas;
  },
});

export function initChart(el: HTMLElement): EChartsType {
  const chart = init(el, undefined, { renderer: 'canvas' });
  chart.getZr().setSleepAfterStill(1);
  return chart;
}
