/**
 * Standalone page for the embedding benchmark and its e2e test: mounts the real EmbeddingView
 * (and so EmbeddingPlot) with a generated network. Built to out/bench-embedding by harness.ts.
 */
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { RENDERER_CSP } from '../../src/shared/csp';

const here = import.meta.dirname;
const OUT_DIR = resolve(here, '../../out/bench-embedding');

function cspMeta(): Plugin {
  return { name: 'bench:csp-meta', transformIndexHtml: (html) => html.replaceAll('%SEN_LAB_CSP%', RENDERER_CSP) };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [vue(), cspMeta()],
  logLevel: 'warn',
  build: { outDir: OUT_DIR, emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
});
