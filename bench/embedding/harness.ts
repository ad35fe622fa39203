/**
 * Shared by the embedding benchmark (run.mjs) and the e2e test: build the bench page, serve it on
 * 127.0.0.1 with the app's CSP header, and launch the system Chromium headless with SwiftShader
 * WebGL (works without a GPU; --use-angle=swiftshader is explicit so a machine with a GPU
 * measures the same software path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { RENDERER_CSP } from '../../src/shared/csp';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/e2e/pages/lab-app';

const here = import.meta.dirname;
const root = resolve(here, '../..');
export const OUT_DIR = join(root, 'out/bench-embedding');
export { CHROMIUM };

/** Sources the page is built from; the build is skipped when the output is newer than all of them. */
const SOURCES = [
  here,
  join(root, 'src/renderer/src/plots/embedding'),
  join(root, 'src/renderer/src/components/EmbeddingView.vue'),
  join(root, 'src/shared'),
];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export async function buildPage(force = false): Promise<string> {
  const index = join(OUT_DIR, 'index.html');
  if (!force && existsSync(index) && statSync(index).mtimeMs > Math.max(...SOURCES.map(newest))) return OUT_DIR;
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true'; // the config imports a .ts module without extension
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
  return OUT_DIR;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** A static file server on 127.0.0.1 (random port) sending the renderer's CSP on every response. */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': RENDERER_CSP,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
