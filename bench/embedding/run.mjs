#!/usr/bin/env node
// Embedding render benchmark: node bench/embedding/run.mjs [--seconds 5] [--k 50000] [--lines auto|gpu|cpu]
//   [--mode stacked|planes] [--force-build]
// Builds bench/embedding (vite), serves it on 127.0.0.1, drives /usr/bin/chromium (playwright-core,
// SwiftShader WebGL), prints one JSON line and saves test-artifacts/embedding-bench.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { buildPage, launchChromium, serveStatic } = await import('./harness.ts');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    k: { type: 'string', default: '50000' },
    lines: { type: 'string', default: 'auto' },
    mode: { type: 'string', default: 'stacked' },
    'force-build': { type: 'boolean', default: false },
  },
});

const root = join(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

const dir = await buildPage(values['force-build']);
const server = await serveStatic(dir);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(
    `${server.url}?bench=1&seconds=${values.seconds}&k=${values.k}&lines=${values.lines}&mode=${values.mode}`,
  );
  await page.waitForFunction(() => window.__benchResult, null, { timeout: 120_000, polling: 250 });
  const result = await page.evaluate(() => window.__benchResult);
  const suffix = values.lines === 'auto' && values.mode === 'stacked' ? '' : `-${values.mode}-${values.lines}`;
  await page.screenshot({ path: join(artifacts, `embedding-bench${suffix}.png`) });
  process.stdout.write(`${JSON.stringify({ ...result, errors })}\n`);
  if (result.error) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
