/**
 * WebGL renderers outlive the plots that draw with them. A new one costs a WebGL context (~300 ms
 * on software WebGL) and, on its first frame, the compilation of the plot's shaders (~100 ms): a
 * plot that goes away hands its renderer back here and the next plot takes it, shaders compiled.
 *
 * `warmRenderer()` pays that cost ahead of need: the New run form calls it while the user fills in
 * the form, so the live view that opens on Start does not create a context and compile shaders on
 * the cores the new run trains on.
 */
import { autoDetectRenderer, Container, RendererType, Ticker, type Renderer, type WebGLRenderer } from 'pixi.js';
import { setWebglRendererInfo, webglRendererInfo } from '../../lib/render-env';

/** renderers kept for reuse (Compare shows several plots at once; more are destroyed) */
const MAX_IDLE = 2;
const idle: Renderer[] = [];
let warming: Promise<void> | null = null;
export interface RendererRequest {
  width: number;
  height: number;
  /** background colour, e.g. 0xffffff */
  background: number;
}

function stopSystemTicker(): void {
  // Plots render on demand. Left alone, pixi's system ticker (it drives the renderer's scheduler)
  // requests an animation frame 60 times a second for as long as the page lives, and on a page
  // composited in software every such frame costs CPU. Plots advance it after each render.
  Ticker.system.autoStart = false;
  Ticker.system.stop();
}

async function create(r: RendererRequest): Promise<Renderer> {
  stopSystemTicker();
  const renderer = await autoDetectRenderer({
    preference: 'webgl',
    width: Math.max(1, r.width),
    height: Math.max(1, r.height),
    antialias: false,
    resolution: globalThis.devicePixelRatio || 1,
    autoDensity: true,
    background: r.background,
    eventFeatures: { move: false, globalMove: false, click: false, wheel: false },
  });
  if ((renderer.type as RendererType) !== RendererType.WEBGL) {
    renderer.destroy();
    throw new Error('EmbeddingPlot needs WebGL 2, which this browser did not provide');
  }
  if (webglRendererInfo() === undefined) setWebglRendererInfo(glRendererName(renderer));
  return renderer;
}

/** The WebGL implementation behind `r`, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))". */
export function glRendererName(r: Renderer): string {
  const gl = (r as WebGLRenderer).gl;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

function usable(r: Renderer): boolean {
  return !(r as WebGLRenderer).gl.isContextLost();
}

/** A renderer of the requested size: a pooled one if there is one, else a new one. */
export async function acquireRenderer(request: RendererRequest): Promise<Renderer> {
  if (warming) await warming;
  let r: Renderer | undefined;
  while ((r = idle.pop()) && !usable(r)) r.destroy();
  if (!r) return create(request);
  r.resize(Math.max(1, request.width), Math.max(1, request.height));
  r.background.color = request.background;
  return r;
}

/** Takes a renderer back (its canvas leaves the page); the caller destroyed its own scene first. */
export function releaseRenderer(r: Renderer): void {
  r.canvas.remove();
  if (idle.length < MAX_IDLE && usable(r)) idle.push(r);
  else r.destroy();
}

/**
 * Creates one renderer ahead of need (once; a no-op while one is idle) and renders one frame of
 * what `prime` puts on a stage (the plot's layers: their shaders get compiled), then calls the
 * clean-up `prime` returned. Failures are silent: the plot reports them when it needs a renderer.
 */
export function warmRenderer(prime: (stage: Container) => () => void): Promise<void> {
  if (idle.length || warming) return warming ?? Promise.resolve();
  warming = (async () => {
    try {
      const r = await create({ width: 64, height: 64, background: 0xffffff });
      const stage = new Container();
      const cleanUp = prime(stage);
      try {
        r.render(stage);
      } finally {
        cleanUp();
        stage.destroy();
      }
      idle.push(r);
    } catch {
      // no WebGL here: the plot will say so when it mounts
    } finally {
      warming = null;
    }
  })();
  return warming;
}

/** How many renderers wait in the pool (tests, diagnostics). */
export function idleRenderers(): number {
  return idle.length;
}
