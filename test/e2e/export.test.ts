/**
 * Figure export end to end: the built renderer in Debian's Chromium against the REAL backend in
 * browser mode (`node bin/serve.mjs --port 0 --db <tmp>`). A tiny spatial run is trained over the
 * HTTP API, then its Run detail exports the training curves through the Export menu, as SVG and
 * as PNG at 300 dpi; the browser's download is saved where "the user" chose and checked.
 * Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/core/config/index';
import type { RunDetail, RunSummary } from '../../src/shared/run-config';
import { writeTinySet } from '../fixtures/idx';
import { ARTIFACTS, chromiumMissing, ensureRendererBuilt, LabServerProcess, launchChromium, pollNode } from './pages';

const missing = chromiumMissing();
const RUN_NAME = 'export e2e run';

describe.skipIf(missing !== '')(`figure export in browser mode${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sen-lab-export-'));
  let server: LabServerProcess;
  let browser: Browser;
  let page: Page;
  let runId: string;

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await LabServerProcess.start(join(dir, 'runs.db'));
    const config = buildRunConfig({
      overrides: { layers: [784, 16, 10], trainSize: 600, testSize: 200, epochs: 1, batchSize: 100 },
    });
    const run = await server.call<RunSummary>('runs/start', [config, { name: RUN_NAME }]);
    runId = run.id;
    await pollNode(
      async () => (await server.call<RunDetail>('runs/get', [runId])).status === 'completed',
      'the run to complete',
      120_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.goto(server.route(`/runs/${runId}`));
    await page.getByTestId('run-detail').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the Export menu, picks the curves in `format` and returns the saved download's path. */
  async function exportCurves(format: 'svg' | 'png', target: string, dpi?: number): Promise<string> {
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-kind').selectOption('curves');
    await page.getByTestId('export-format').selectOption(format);
    await page.getByTestId('export-width').selectOption('single');
    if (dpi) await page.getByTestId('export-dpi').selectOption(String(dpi));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `export-menu-${format}.png`) });
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('export-go').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe(`export-e2e-run-curves.${format}`);
    const path = join(dir, target);
    await d.saveAs(path);
    return path;
  }

  it('exports the curves as an SVG naming the run', async () => {
    const path = await exportCurves('svg', 'chosen-curves.svg');
    const svg = readFileSync(path, 'utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain(RUN_NAME);
  }, 120_000);

  it('exports the curves as a PNG at 300 dpi, 88 mm wide', async () => {
    const path = await exportCurves('png', 'chosen-curves.png', 300);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(Math.round((88 / 25.4) * 300));
  }, 120_000);

  it('a run on an IDX folder with a classes.txt: Run detail gets its names, the export menu offers them', async () => {
    const set = join(dir, 'named-set');
    writeTinySet(set, { classes: 3 });
    writeFileSync(join(set, 'classes.txt'), 'cat\ndog\nbird\n');
    const config = buildRunConfig({
      overrides: { layers: [6, 4, 3], dataset: set, trainSize: 6, testSize: 4, epochs: 1, batchSize: 3 },
    });
    const run = await server.call<RunSummary>('runs/start', [config, { name: 'named classes' }]);
    await pollNode(
      async () => (await server.call<RunDetail>('runs/get', [run.id])).status === 'completed',
      'the run to complete',
      120_000,
    );
    expect((await server.call<RunDetail>('runs/get', [run.id])).classNames).toEqual(['cat', 'dog', 'bird']);
    await page.goto(server.route(`/runs/${run.id}`));
    await page.getByTestId('run-detail').waitFor();
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-kind').selectOption('embedding');
    const options = await page.getByTestId('export-digit').locator('option').allTextContents();
    expect(options.map((o) => o.trim())).toEqual(['cat', 'dog', 'bird']);
  }, 120_000);
});
