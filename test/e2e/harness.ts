/**
 * Runs the real renderer build in headless Chromium against the mock LabApi: builds the renderer
 * (electron-vite's renderer config, production mode, real CSP) and the mock into a scratch folder,
 * serves them over loopback HTTP, and opens pages with `window.lab` injected before any script.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import electronViteConfig from '../../electron.vite.config';
import type { MockLabOptions } from './fixtures/mock-lab';

const root = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds the renderer and the mock into `outDir` (renderer/ and mock-lab.js). */
export async function buildForTest(outDir: string): Promise<void> {
  const config = electronViteConfig as { renderer: InlineConfig };
  const renderer = config.renderer;
  await build({
    ...renderer,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { ...renderer.build, outDir: join(outDir, 'renderer'), emptyOutDir: true },
  });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      minify: false,
      lib: {
        entry: join(root, 'test/e2e/fixtures/mock-lab-entry.ts'),
        formats: ['iife'],
        name: 'SenMockLab',
        fileName: () => 'mock-lab.js',
      },
    },
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A static file server on 127.0.0.1 with an ephemeral port. */
export async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, path || 'index.html');
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/renderer/index.html`, server };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenOptions {
  mock?: MockLabOptions;
  /** hash route, e.g. '#/runs' */
  hash?: string;
  width?: number;
  height?: number;
}

/** Opens the app with a fresh mock lab; collects page errors in `errors`. */
export async function openApp(
  browser: Browser,
  url: string,
  scratch: string,
  opts: OpenOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript((o) => {
    (globalThis as unknown as { __SEN_MOCK_OPTIONS__: unknown }).__SEN_MOCK_OPTIONS__ = o;
  }, opts.mock ?? {});
  await page.addInitScript({ path: join(scratch, 'mock-lab.js') });
  await page.goto(`${url}${opts.hash ?? '#/runs'}`);
  return { page, errors };
}

export interface MockLabPageOptions {
  /** scratch folder the renderer and the mock are built into (one per test file) */
  scratch: string;
  /** defaults for every `open()`, overridden by its own options */
  defaults?: OpenOptions;
  /** folders to create before the build (e.g. for screenshots) */
  mkdirs?: string[];
}

export interface MockLabPages {
  /** opens the app in a new page with a fresh mock lab */
  open(opts: OpenOptions): Promise<Page>;
  /** page errors and console errors of every page opened so far */
  errors(): string[];
}

/**
 * For a describe block: builds the renderer and the mock, serves them and launches Chromium in
 * beforeAll, closes both in afterAll. Call it at the top of the describe callback.
 */
export function useMockLabPage(options: MockLabPageOptions): MockLabPages {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let url = '';
  const opened: { page: Page; errors: string[] }[] = [];

  beforeAll(async () => {
    for (const dir of options.mkdirs ?? []) mkdirSync(dir, { recursive: true });
    await buildForTest(options.scratch);
    ({ url, server } = await serve(options.scratch));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  return {
    async open(opts: OpenOptions): Promise<Page> {
      if (!browser) throw new Error('useMockLabPage: open() before beforeAll');
      const o = await openApp(browser, url, options.scratch, { ...options.defaults, ...opts });
      opened.push(o);
      return o.page;
    },
    errors: () => opened.flatMap((p) => p.errors),
  };
}
