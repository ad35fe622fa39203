/** Worker entry: rasterises line jobs off the main thread (see line-raster.ts). */
import { rasterizeLines, type RasterJob, type RasterScratch } from './line-raster';

export interface RasterResult {
  id: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  rasterMs: number;
}

// typed locally: the renderer's tsconfig has the DOM lib, not WebWorker
const ctx = globalThis as unknown as {
  onmessage: ((e: MessageEvent<RasterJob>) => void) | null;
  postMessage(message: RasterResult, transfer: Transferable[]): void;
};
const scratch: RasterScratch = {};

ctx.onmessage = (e) => {
  const job = e.data;
  const t0 = performance.now();
  const pixels = rasterizeLines(job, scratch);
  ctx.postMessage({ id: job.id, width: job.width, height: job.height, pixels, rasterMs: performance.now() - t0 }, [
    pixels.buffer,
  ]);
};
