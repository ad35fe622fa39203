/**
 * The renderer's Content-Security-Policy: one source of truth, sent as a response header by the
 * main process and injected as a <meta> tag into index.html by the renderer build.
 * (If the tfjs wasm backend ever runs in the renderer, script-src needs 'wasm-unsafe-eval'.)
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
].join('; ');
