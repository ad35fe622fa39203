/**
 * The line layer for software WebGL: line vertices go to a worker that rasterises them
 * (line-raster.ts); the result is one texture on a quad. At most one job is in flight and only
 * the newest waiting job is kept, so a slow machine drops intermediate frames instead of queueing.
 * Between rasters a zoom / pan just transforms the last image (stretched until the next arrives).
 * The raster resolution drops when the lines are long and many (cost ~ total length in pixels),
 * and a full-resolution pass follows once updates pause.
 */
import { BufferImageSource, Container, Texture } from 'pixi.js';
import { TextureQuad } from './gl-layers';
import type { ViewTransform } from './interaction';
import { rasterizeLines, type RasterJob } from './line-raster';
import type { RasterResult } from './line-raster.worker';
import { LatestJob } from './worker-fallback';

/** raster pixel steps per job that keep a job near ~40 ms */
const LENGTH_BUDGET = 6e6;
const MIN_SCALE = 0.35;
const REFINE_AFTER_MS = 400;
/** while a run is live: at most this fraction of the device resolution, and no refinement pass */
const LIVE_SCALE = 0.5;

export class CpuLines {
  readonly container = new Container({ label: 'embedding-cpu-lines' });
  private readonly sprite = new TextureQuad(Texture.EMPTY);
  private source: BufferImageSource | null = null;
  private readonly jobs: LatestJob<RasterJob, RasterResult>;
  private shown: RasterJob | null = null;
  private nextId = 1;
  private refineTimer = 0;
  private view: ViewTransform = { zoom: 1, panX: 0, panY: 0 };
  /** time of the last raster, for stats */
  rasterMs = 0;

  constructor(private readonly onImage: () => void) {
    this.container.addChild(this.sprite.mesh);
    this.container.eventMode = 'none';
    // if workers are blocked, rasterise on the main thread from now on
    this.jobs = new LatestJob<RasterJob, RasterResult>(
      () =>
        new Worker(new URL('./line-raster.worker.ts', import.meta.url), { type: 'module', name: 'embedding-lines' }),
      (worker, job) => worker.postMessage(job, [job.segments.buffer, job.colors.buffer]),
      (job) => {
        const t0 = performance.now();
        const pixels = rasterizeLines(job);
        return { id: job.id, width: job.width, height: job.height, pixels, rasterMs: performance.now() - t0 };
      },
      (job, r) => {
        if (job.id === r.id) this.show(job, r);
      },
    );
  }

  /**
   * Queues a raster of `count` segments (layout px, packed RGBA per vertex; both arrays are
   * copied) for a canvas of width x height CSS px at device pixel ratio `dpr`. `live`: snapshots
   * keep streaming in, so rasterise at reduced resolution and skip the full-resolution pass.
   */
  draw(
    segments: Float32Array,
    colors: Uint32Array,
    count: number,
    size: { width: number; height: number; dpr: number },
    view: ViewTransform,
    full = false,
    live = false,
  ): void {
    clearTimeout(this.refineTimer);
    let length = 0;
    for (let q = 0; q < count; q++)
      length += Math.abs(segments[4 * q + 2] - segments[4 * q]) + Math.abs(segments[4 * q + 3] - segments[4 * q + 1]);
    length *= view.zoom;
    const top = live ? LIVE_SCALE * size.dpr : size.dpr;
    const fitted = Math.max(Math.min(MIN_SCALE, top), Math.min(top, LENGTH_BUDGET / Math.max(1, length)));
    const scale = full ? size.dpr : fitted;
    const job: RasterJob = {
      id: this.nextId++,
      width: Math.max(1, Math.round(size.width * scale)),
      height: Math.max(1, Math.round(size.height * scale)),
      scale,
      ...view,
      segments: segments.slice(0, 4 * count),
      colors: colors.slice(0, 2 * count),
      count,
    };
    this.jobs.submit(job);
    if (!live && scale < size.dpr)
      this.refineTimer = window.setTimeout(() => this.draw(segments, colors, count, size, view, true), REFINE_AFTER_MS);
  }

  /** A raster is being computed or waiting. */
  get busy(): boolean {
    return this.jobs.busy;
  }

  /** Follows zoom / pan by transforming the last image. */
  setView(t: ViewTransform): void {
    this.view = { ...t };
    const j = this.shown;
    if (!j) return;
    const k = t.zoom / j.zoom;
    this.sprite.mesh.scale.set(k / j.scale); // the quad is sized in raster pixels
    this.sprite.mesh.position.set(t.panX - j.panX * k, t.panY - j.panY * k);
  }

  clear(): void {
    clearTimeout(this.refineTimer);
    this.jobs.dropWaiting();
    this.sprite.mesh.visible = false;
  }

  private show(job: RasterJob, r: RasterResult): void {
    this.rasterMs = r.rasterMs;
    if (!this.source || this.source.pixelWidth !== r.width || this.source.pixelHeight !== r.height) {
      // bind the new image before destroying the old one: a source destroyed while the shader
      // still holds it makes pixi warn ("a 'textureSource' was destroyed while still bound")
      const old = this.source;
      this.source = new BufferImageSource({
        resource: r.pixels,
        width: r.width,
        height: r.height,
        alphaMode: 'premultiplied-alpha',
      });
      this.sprite.set(new Texture({ source: this.source }), r.width, r.height);
      old?.destroy();
    } else {
      this.source.resource = r.pixels;
      this.source.update();
    }
    this.shown = job;
    this.sprite.mesh.visible = true;
    this.setView(this.view);
    this.onImage();
  }

  destroy(): void {
    clearTimeout(this.refineTimer);
    this.jobs.destroy();
    this.sprite.destroy();
    this.container.destroy({ children: true });
    this.source?.destroy();
  }
}
