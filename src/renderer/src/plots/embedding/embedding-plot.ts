/**
 * EmbeddingPlot: a framework-free pixi.js v8 view of a spatially embedded network.
 *   const plot = new EmbeddingPlot(); await plot.mount(el);
 *   plot.setModel(spec); plot.setSnapshot(arrays); plot.setOptions({ mode: 'planes' });
 *   const off = plot.onHover((info) => ...); plot.resize(); plot.destroy();
 * Updates are incremental: a snapshot rewrites typed arrays in place; a view change (yaw, pitch,
 * resize) re-projects without re-selecting; zoom and pan only move a container.
 */
// Must precede any renderer creation: swaps pixi's new Function() code generation for static
// functions, so the plot runs under the renderer CSP (script-src 'self', no 'unsafe-eval').
import 'pixi.js/unsafe-eval';
import { Container, Texture, Ticker, type Renderer } from 'pixi.js';
import type { DecodedArrays, NamedArray } from '../../../../shared/codec';
import { layerGeometry, type EmbeddingGeometry } from '../../../../shared/geometry';
import type { SpatialModelSpec } from '../../../../shared/model-spec';
import { writeLines, writePoints, type LineEnds } from './buffers';
import { CpuLines } from './cpu-lines';
import { Decorations } from './decorations';
import { EdgeSource, type SelectionParams } from './edge-source';
import { FillLayer, LineLayer, PointLayer, TextureQuad } from './gl-layers';
import { Interaction, type ViewTransform } from './interaction';
import { computeLayout, dataExtent, type Extent, type Layout } from './layout';
import { THEMES } from './palette';
import { Picker } from './picker';
import { RenderScheduler, type RenderClock } from './render-scheduler';
import { isSoftwareGl } from '../../lib/render-env';
import { acquireRenderer, glRendererName, releaseRenderer, warmRenderer } from './renderer-pool';
import { DEFAULT_OPTIONS, type EmbeddingOptions, type HoverInfo, type UpdateStats } from './types';

/**
 * layout: positions / view; selection: which edges (selectionOptions: because options or the model
 * changed, so not to be postponed); colors: styling; lines: new edges arrived
 */
type Dirty = { layout: boolean; selection: boolean; selectionOptions: boolean; colors: boolean; lines: boolean };

/** maxDistance options compare by value (arrays may be re-created or mutated in place by callers). */
function sameMaxDistance(a: EmbeddingOptions['maxDistance'], b: EmbeddingOptions['maxDistance']): boolean {
  if (a === null || b === null || typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  return a.length === b.length && a.every((v, l) => Object.is(v, b[l]));
}

function connectionCount(geom: EmbeddingGeometry): number {
  let total = 0;
  for (let l = 0; l + 1 < geom.layers.length; l++) total += geom.layers[l].n * geom.layers[l + 1].n;
  return total;
}

const LAYOUT_KEYS: (keyof EmbeddingOptions)[] = [
  'mode',
  'classNames',
  'yawDeg',
  'pitchDeg',
  'layerSpacing',
  'theme',
  'overlayOutputs',
];
const SELECTION_KEYS: (keyof EmbeddingOptions)[] = [
  'mode',
  'connections',
  'k',
  'threshold',
  'maxLines',
  'maxDistance',
  'live',
  'liveMaxLines',
];
const COLOR_KEYS: (keyof EmbeddingOptions)[] = [
  'colorBy',
  'activations',
  'lineColor',
  'lineAlpha',
  'pointRadius',
  'theme',
  'lineRenderer',
  'live',
];
const NO_VIEW: ViewTransform = { zoom: 1, panX: 0, panY: 0 };

export class EmbeddingPlot {
  /**
   * Creates a WebGL renderer ahead of need and compiles the plot's shaders on it (renderer-pool):
   * the next plot to mount starts drawing without either cost. Call while nothing is busy.
   */
  static warmUp(): Promise<void> {
    return warmRenderer((stage) => {
      const layers = [new FillLayer(), new LineLayer(), new PointLayer(), new TextureQuad(Texture.WHITE)];
      for (const layer of layers) {
        if (!(layer instanceof TextureQuad)) {
          layer.ensure(3);
          layer.positions.set([0, 0, 8, 0, 0, 8]);
          layer.colors.fill(0xff000000);
          layer.commit(3);
        }
        stage.addChild(layer.mesh);
      }
      return () => layers.forEach((layer) => layer.destroy());
    });
  }

  private options: EmbeddingOptions = { ...DEFAULT_OPTIONS };
  private renderer: Renderer | null = null;
  private el: HTMLElement | null = null;
  private readonly stage = new Container({ label: 'embedding-stage' });
  /** zoomed and panned: plane outlines and GPU lines below, dots above (CPU lines sit between) */
  private readonly back = new Container({ label: 'embedding-back' });
  private readonly front = new Container({ label: 'embedding-front' });
  private cpuLines: CpuLines | null = null;
  private cpuTimer = 0;
  private glInfo = 'none';
  private readonly scheduler = new RenderScheduler(() => {
    if (!this.renderer) return;
    this.renderer.render(this.stage);
    // pixi's own housekeeping (its texture GC runs on the system ticker) advances with our frames
    Ticker.system.update();
  });
  private readonly decorations = new Decorations();
  private lines: LineLayer | null = null;
  private points: PointLayer | null = null;
  private interaction: Interaction | null = null;
  private spec: SpatialModelSpec | null = null;
  private geom: EmbeddingGeometry | null = null;
  private extent: Extent | undefined;
  private layout: Layout | null = null;
  private readonly ends: LineEnds = { from: new Uint32Array(0), to: new Uint32Array(0) };
  private readonly picker = new Picker();
  private dirty: Dirty = { layout: true, selection: true, selectionOptions: true, colors: true, lines: true };
  private edgeSource: EdgeSource | null = null;
  private destroyed = false;
  private readonly updateListeners = new Set<(stats: Readonly<UpdateStats>) => void>();
  private stats: UpdateStats = {
    selectMs: 0,
    updateMs: 0,
    lines: 0,
    connections: 0,
    capped: false,
    maxAbsWeight: 0,
    lineRenderer: 'gpu',
  };

  /** Creates the WebGL renderer inside `el` (sized to it). Rejects when WebGL2 is unavailable. */
  async mount(el: HTMLElement): Promise<void> {
    this.el = el;
    const renderer = await acquireRenderer({
      width: el.clientWidth,
      height: el.clientHeight,
      background: THEMES[this.options.theme].background,
    });
    if (this.destroyed) return releaseRenderer(renderer);
    this.renderer = renderer;
    this.glInfo = glRendererName(renderer);
    this.lines = new LineLayer();
    this.points = new PointLayer();
    this.cpuLines = new CpuLines(() => this.scheduler.release());
    this.edgeSource = new EdgeSource(
      () => this.markDirty({ lines: true }),
      () => this.markDirty({ selection: true }),
    );
    this.back.addChild(this.decorations.world, this.lines.mesh);
    this.front.addChild(this.points.mesh);
    this.stage.addChild(this.back, this.cpuLines.container, this.front, this.decorations.overlay);
    this.stage.eventMode = 'none';
    const canvas = renderer.canvas;
    canvas.style.display = 'block';
    el.appendChild(canvas);
    this.interaction = new Interaction(canvas, {
      view: (t) => {
        this.scheduler.interact();
        this.applyView(t);
        this.scheduler.release(); // the user is steering: draw now
        this.scheduleCpuRaster();
      },
      hover: (x, y) => {
        this.scheduler.interact();
        this.picker.hover(x, y);
      },
      click: (x, y) => {
        this.scheduler.interact();
        this.picker.click(x, y);
      },
    });
    this.picker.bindHighlight((points, segment) => {
      this.decorations.setHighlight(points, segment);
      this.scheduler.request();
    });
    this.markAll();
  }

  setModel(spec: SpatialModelSpec): void {
    this.spec = spec;
    this.geom = null;
    this.extent = undefined;
    this.edgeSource?.reset();
    this.dirty.selectionOptions = true;
    this.picker.reset();
    this.interaction?.reset();
    this.markAll();
  }

  /** Cheap enough for ~10 Hz: typed arrays are updated in place. Needs setModel() first. */
  setSnapshot(arrays: NamedArray[] | DecodedArrays): void {
    if (!this.spec) throw new Error('EmbeddingPlot.setSnapshot: call setModel(spec) first');
    this.geom = layerGeometry(this.spec, arrays, this.geom ?? undefined);
    // the x-y extent only grows, so the picture does not re-scale on every training step
    this.extent = dataExtent(this.geom, this.extent);
    this.markAll();
  }

  setOptions(patch: Partial<EmbeddingOptions>): void {
    const changed = (Object.keys(patch) as (keyof EmbeddingOptions)[]).filter((key) =>
      key === 'maxDistance'
        ? !sameMaxDistance(patch.maxDistance ?? null, this.options.maxDistance)
        : patch[key] !== this.options[key],
    );
    if (changed.length === 0) return;
    // the user changed a control (the live flag is the view's, not the user's)
    if (changed.some((c) => c !== 'live')) this.scheduler.interact();
    this.options = { ...this.options, ...patch };
    if (changed.some((c) => LAYOUT_KEYS.includes(c))) this.dirty.layout = true;
    if (changed.some((c) => SELECTION_KEYS.includes(c))) this.dirty.selection = this.dirty.selectionOptions = true;
    if (changed.some((c) => COLOR_KEYS.includes(c))) this.dirty.colors = true;
    if (changed.includes('theme') && this.renderer)
      this.renderer.background.color = THEMES[this.options.theme].background;
    this.update();
  }

  getOptions(): Readonly<EmbeddingOptions> {
    return this.options;
  }

  /** Re-reads the container size (call from a ResizeObserver). */
  resize(): void {
    if (!this.renderer || !this.el) return;
    const w = Math.max(1, this.el.clientWidth);
    const h = Math.max(1, this.el.clientHeight);
    if (w === this.renderer.width && h === this.renderer.height) return;
    this.renderer.resize(w, h);
    this.dirty.layout = true;
    this.update();
  }

  /** Forgets the grown x-y extent and the zoom / pan. */
  fit(): void {
    this.extent = this.geom ? dataExtent(this.geom) : undefined;
    this.interaction?.reset();
    this.markAll();
  }

  onHover(listener: (info: HoverInfo) => void): () => void {
    return this.picker.listen(listener);
  }

  /** Called after every rendered frame with the running count. */
  onFrame(listener: (frames: number) => void): () => void {
    return this.scheduler.onFrame(listener);
  }

  /** Called after every data / option update with the new stats (selection finishes later). */
  onUpdate(listener: (stats: Readonly<UpdateStats>) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  /** True while a selection or a CPU line raster is still on its way (the picture is not final). */
  get pending(): boolean {
    return (this.edgeSource?.pending ?? false) || (this.cpuLines?.busy ?? false);
  }

  get frames(): number {
    return this.scheduler.frames;
  }

  /**
   * Renders on `clock`'s ticks (a live view's FrameClock: one frame for the whole view per tick)
   * instead of on the next animation frame; null goes back to animation frames. User input is
   * drawn at once either way.
   */
  setFrameClock(clock: RenderClock | null): void {
    this.scheduler.setClock(clock);
  }

  /** Renders on the next animation frame (the plot does so itself after every change). */
  requestRender(): void {
    this.scheduler.request();
  }

  /** Where neuron `index` of `layer` is drawn, in CSS px relative to the canvas (tests, "locate"). */
  neuronScreenPosition(layer: number, index: number): [number, number] | null {
    const layout = this.layout;
    if (
      !layout ||
      layer < 0 ||
      layer >= layout.start.length - 1 ||
      index < 0 ||
      index >= layout.start[layer + 1] - layout.start[layer]
    )
      return null;
    const n = layout.start[layer] + index;
    const t = this.interaction?.transform ?? NO_VIEW;
    return [layout.px[n] * t.zoom + t.panX, layout.py[n] * t.zoom + t.panY];
  }

  /** The GPU behind the WebGL context (e.g. SwiftShader in headless Chromium), for reports. */
  get rendererInfo(): string {
    return this.glInfo;
  }

  get lastUpdate(): Readonly<UpdateStats> {
    return this.stats;
  }

  destroy(): void {
    this.destroyed = true;
    this.scheduler.destroy();
    clearTimeout(this.cpuTimer);
    this.cpuLines?.destroy();
    this.edgeSource?.destroy();
    this.interaction?.destroy();
    this.picker.reset();
    this.lines?.destroy();
    this.points?.destroy();
    this.decorations.destroy();
    this.stage.destroy({ children: true });
    if (this.renderer) releaseRenderer(this.renderer);
    this.renderer = null;
    this.updateListeners.clear();
  }

  private markAll(): void {
    this.markDirty({ layout: true, selection: true, colors: true, lines: true });
  }

  private markDirty(flags: Partial<Dirty>): void {
    Object.assign(this.dirty, flags);
    this.update();
  }

  /** Brings buffers up to date with whatever changed, then schedules one render. */
  private update(): void {
    const { renderer, geom, spec, lines, points } = this;
    if (!renderer || !lines || !points || !geom || !spec) return this.scheduler.request();
    const t0 = performance.now();
    const o = this.options;
    const colors = THEMES[o.theme];
    const dirty = this.dirty;
    this.dirty = { layout: false, selection: false, selectionOptions: false, colors: false, lines: false };
    const source = this.edgeSource;
    if (dirty.selection && source) {
      // true: edges changed now (cleared / re-measured); false: new edges follow, hold the frame
      if (source.update(geom, this.selectionParams(geom), dirty.selectionOptions)) dirty.lines = true;
      else this.scheduler.hold();
    }
    if (dirty.layout) {
      const view = {
        mode: o.mode,
        yawDeg: o.yawDeg,
        pitchDeg: o.pitchDeg,
        layerSpacing: o.layerSpacing,
        width: renderer.width,
        height: renderer.height,
      };
      this.layout = computeLayout(geom, spec.layers, this.extent ?? dataExtent(geom), view, this.layout ?? undefined);
      this.decorations.update(this.layout, colors, o.mode === 'planes' && o.overlayOutputs, o.classNames);
    }
    const layout = this.layout as Layout;
    if (dirty.layout || dirty.colors) {
      points.ensure(layout.px.length);
      writePoints(geom, layout, o.colorBy, o.activations, colors, points.positions, points.colors);
      points.style(o.pointRadius * 2 * renderer.resolution, colors.background, 0.5);
      points.commit(layout.px.length);
    }
    const edges = source?.edges ?? null;
    const cpu = this.useCpuLines();
    // new edges follow a snapshot within a few ms: draw lines once, with them, not twice
    if (dirty.lines || ((dirty.layout || dirty.colors) && !source?.pending)) {
      const count = edges?.count ?? 0;
      lines.ensure(2 * count);
      if (this.ends.from.length < count) this.ends.from = new Uint32Array(lines.colors.length / 2);
      if (this.ends.to.length < count) this.ends.to = new Uint32Array(lines.colors.length / 2);
      this.stats.ink =
        edges && count > 0
          ? writeLines(
              edges,
              layout,
              { lineColor: o.lineColor, lineAlpha: o.lineAlpha, colors },
              lines.positions,
              lines.colors,
              this.ends,
            )
          : null;
      lines.commit(cpu ? 0 : 2 * count);
      if (cpu && count > 0) {
        this.rasterCpuLines();
        this.scheduler.hold(); // until the raster arrives
      } else {
        this.cpuLines?.clear();
        if (dirty.lines) this.scheduler.release();
      }
    }
    this.picker.setData({
      geom,
      layout,
      edges,
      ends: this.ends,
      activations: o.colorBy === 'activation' ? o.activations : null,
      pointRadius: o.pointRadius,
    });
    const count = edges?.count ?? 0;
    const params = this.selectionParams(geom, false);
    const liveParams = this.selectionParams(geom);
    Object.assign(this.stats, {
      liveCap: params?.k !== undefined && liveParams?.k !== undefined && liveParams.k < params.k ? liveParams.k : 0,
      selectMs: source?.selectMs ?? 0,
      updateMs: performance.now() - t0,
      lines: count,
      connections: connectionCount(geom),
      capped: o.connections !== 'strongest' && count >= o.maxLines,
      maxAbsWeight: edges?.maxAbsWeight ?? this.stats.maxAbsWeight,
      lineRenderer: cpu ? 'cpu' : 'gpu',
      panels: layout.panels.map((p) => outlineBox(p.outline)),
    });
    this.applyView(this.interaction?.transform ?? NO_VIEW);
    for (const f of this.updateListeners) f(this.stats);
  }

  /** What to select for the current options (`live`: with the live line cap); null: no lines. */
  private selectionParams(geom: EmbeddingGeometry, live = this.options.live): SelectionParams | null {
    const o = this.options;
    if (o.mode !== 'stacked' || o.connections === 'none' || geom.layers.length < 2) return null;
    const cap = live ? Math.min(o.maxLines, o.liveMaxLines) : o.maxLines;
    const k = o.connections === 'strongest' ? Math.min(o.k, cap) : cap;
    // a plain copy: the options may hold a (Vue) proxy, which cannot be posted to the worker
    const maxDistance =
      o.maxDistance === null
        ? undefined
        : typeof o.maxDistance === 'number'
          ? o.maxDistance
          : Array.from(o.maxDistance);
    return { k, threshold: o.connections === 'threshold' ? o.threshold : undefined, maxDistance };
  }

  private useCpuLines(): boolean {
    const r = this.options.lineRenderer;
    return r === 'cpu' || (r === 'auto' && isSoftwareGl(this.rendererInfo));
  }

  private rasterCpuLines(): void {
    const { renderer, lines, cpuLines } = this;
    const edges = this.edgeSource?.edges;
    if (!renderer || !lines || !cpuLines || !edges) return;
    const size = { width: renderer.width, height: renderer.height, dpr: renderer.resolution };
    cpuLines.draw(
      lines.positions,
      lines.colors,
      edges.count,
      size,
      this.interaction?.transform ?? NO_VIEW,
      false,
      this.options.live,
    );
  }

  /** After zoom / pan settles, re-rasterise CPU lines at the new view (until then: stretched). */
  private scheduleCpuRaster(): void {
    if (!this.useCpuLines() || !this.edgeSource?.edges?.count) return;
    clearTimeout(this.cpuTimer);
    this.cpuTimer = window.setTimeout(() => this.rasterCpuLines(), 120);
  }

  private applyView(t: ViewTransform): void {
    for (const c of [this.back, this.front]) {
      c.scale.set(t.zoom);
      c.position.set(t.panX, t.panY);
    }
    this.cpuLines?.setView(t);
    const toScreen = (x: number, y: number): [number, number] => [x * t.zoom + t.panX, y * t.zoom + t.panY];
    this.decorations.place(toScreen);
    this.picker.setView(t);
    this.scheduler.request();
  }
}

/** Bounding box [x0, y0, x1, y1] of a closed outline (x y interleaved). */
function outlineBox(o: Float32Array): number[] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let q = 0; q < o.length; q += 2)
    [x0, x1, y0, y1] = [Math.min(x0, o[q]), Math.max(x1, o[q]), Math.min(y0, o[q + 1]), Math.max(y1, o[q + 1])];
  return [x0, y0, x1, y1].map((v) => Math.round(v * 10) / 10);
}
