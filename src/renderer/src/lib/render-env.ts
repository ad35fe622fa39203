/**
 * What the page is drawn with, as far as the page can tell: the WebGL implementation behind the
 * embedding's renderers (set by plots/embedding/renderer-pool.ts when it makes the first one).
 * SwiftShader / llvmpipe mean no GPU: then WebGL, 2D canvases and the compositor all run on the
 * CPU, next to the training, and the views draw less (see use-live-refresh, plots/chart-init).
 */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

let glRenderer: string | undefined;
const listeners = new Set<(info: string) => void>();

/** True when this WebGL renderer string names a software implementation. */
export function isSoftwareGl(info: string): boolean {
  return SOFTWARE_GL.test(info);
}

/** The WebGL implementation's name, once a renderer was made ('' when the browser did not tell). */
export function webglRendererInfo(): string | undefined {
  return glRenderer;
}

/** True once known to be software rendering; false with a GPU or while unknown. */
export function knownSoftwareRendering(): boolean {
  return glRenderer !== undefined && isSoftwareGl(glRenderer);
}

/** Records the first renderer's WebGL implementation (later calls are ignored). */
export function setWebglRendererInfo(info: string): void {
  if (glRenderer !== undefined) return;
  glRenderer = info;
  for (const f of listeners) f(info);
}

/** Calls `listener` when the WebGL implementation becomes known. */
export function onWebglRendererInfo(listener: (info: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
