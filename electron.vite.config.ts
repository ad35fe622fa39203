import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { RENDERER_CSP } from './src/shared/csp';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

/** Native / heavy Node packages are loaded from node_modules at run time, never bundled. */
// native modules and packages that read files next to their own code (fonts, AFM metrics, .node binaries)
const NATIVE_EXTERNALS = [
  'better-sqlite3',
  /^better-sqlite3\//,
  /^@tensorflow\//,
  /^@resvg\//,
  'pdfkit',
  /^pdfkit\//,
  'dejavu-fonts-ttf',
];

/** Fills the CSP <meta> in index.html from the single source of truth (main sends the same header). */
function cspMeta(): Plugin {
  const placeholder = '%SEN_LAB_CSP%';
  return {
    name: 'sen-lab:csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(placeholder)) throw new Error(`index.html must contain the CSP placeholder ${placeholder}`);
        return html.replaceAll(placeholder, RENDERER_CSP);
      },
    },
  };
}

// Output: out/main/index.js (ESM, package.json has "type": "module"),
//         out/preload/index.cjs (CommonJS: sandboxed preloads cannot be ES modules),
//         out/renderer/index.html + assets/.
export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: 'out/main',
      // The workers are their own entries: worker-host.ts starts `./train-worker.js` and
      // prune-host.ts `./prune-worker.js` next to the bundle (out/main/) in worker threads.
      lib: {
        entry: {
          index: resolve(root, 'src/main/index.ts'),
          'train-worker': resolve(root, 'src/core/train/train-worker.ts'),
          'prune-worker': resolve(root, 'src/core/study/prune-worker.ts'),
          'figure-worker': resolve(root, 'src/main/services/figure-worker.ts'),
          'speed-worker': resolve(root, 'src/core/cost/speed-worker.ts'),
        },
      },
      // `dependencies` of package.json are externalized by default; make the native ones explicit
      // (includes the optional @tensorflow/tfjs-node).
      externalizeDeps: true,
      rolldownOptions: { external: NATIVE_EXTERNALS },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(root, 'src/preload/index.ts') },
      // A sandboxed preload can only require('electron') (and a few polyfills): bundle everything
      // else into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [vue(), cspMeta()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // browser mode serves this bundle over HTTP too: keep it small
      minify: true,
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
});
