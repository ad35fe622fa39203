/**
 * End-to-end test of the embedding plot in headless Chromium (SwiftShader WebGL): the bench page
 * (bench/embedding, the real EmbeddingView) with a small network, served with the app's CSP.
 * Checks that both modes draw, that hovering a neuron and picking two neurons show the info boxes,
 * and that nothing needed eval. Screenshots go to test-artifacts/. Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, CHROMIUM, launchChromium, serveStatic } from '../../bench/embedding/harness';
import { decodePng } from './pages/png';

const artifacts = join(import.meta.dirname, '../../test-artifacts');
const missing = existsSync(CHROMIUM) ? '' : `skipped: ${CHROMIUM} not installed`;

/** Share of pixels that differ from white (the light theme's background), and of dark ones. */
function inkShare(png: Buffer): { nonBackground: number; dark: number } {
  const { rgba } = decodePng(png);
  let nonBackground = 0;
  let dark = 0;
  for (let q = 0; q < rgba.length; q += 4) {
    const sum = rgba[q] + rgba[q + 1] + rgba[q + 2];
    if (sum < 750) nonBackground++;
    if (sum < 300) dark++;
  }
  const n = rgba.length / 4;
  return { nonBackground: nonBackground / n, dark: dark / n };
}

describe.skipIf(!!missing)(`embedding plot in Chromium${missing ? ` [${missing}]` : ''}`, () => {
  let browser: Browser | undefined;
  let server: { url: string; close: () => Promise<void> } | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await serveStatic(await buildPage());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${server.url}?layers=40,60,6&k=600&seed=3`);
    await page.locator('[data-testid=embedding-view][data-state=ready]').waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const host = () => page.locator('.canvas-host');

  /** Screenshot of the plot once the frame counter moved past `after` (a render with the change). */
  async function shoot(name: string, after: number): Promise<Buffer> {
    // polled from the test side: page.waitForFunction re-compiles its predicate inside the page,
    // which the page's CSP (rightly) refuses under load; page.evaluate is exempt from the CSP
    const deadline = Date.now() + 30_000;
    for (;;) {
      const done = await page.evaluate((n) => {
        type El = { dataset: Record<string, string | undefined> };
        const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null } }).document;
        const v = doc.querySelector('[data-testid=embedding-view]');
        return Number(v?.dataset.frames) > n && v?.dataset.busy === 'false';
      }, after);
      if (done) break;
      if (Date.now() > deadline) throw new Error(`no new frame after ${after} within 30 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const png = await host().screenshot();
    writeFileSync(join(artifacts, name), png);
    return png;
  }

  const frames = async (): Promise<number> =>
    Number(await page.locator('[data-testid=embedding-view]').getAttribute('data-frames'));

  /** Canvas-relative position of a neuron, from the plot itself. */
  async function neuron(layer: number, index: number): Promise<{ x: number; y: number }> {
    const pos = await page.evaluate(
      ([l, i]) => {
        const w = globalThis as unknown as {
          __embedding: {
            view: { value: { plot: { neuronScreenPosition(l: number, i: number): [number, number] | null } } };
          };
        };
        return w.__embedding.view.value.plot.neuronScreenPosition(l, i);
      },
      [layer, index] as const,
    );
    expect(pos).not.toBeNull();
    const box = await host().boundingBox();
    return { x: (box?.x ?? 0) + (pos as [number, number])[0], y: (box?.y ?? 0) + (pos as [number, number])[1] };
  }

  it('draws planes, dots and lines in stacked mode', async () => {
    const share = inkShare(await shoot('embedding-stacked.png', 0));
    expect(share.nonBackground).toBeGreaterThan(0.02);
    expect(share.dark).toBeGreaterThan(0.0005); // lines ("ink") are there
    expect(await page.locator('[data-testid=line-stats]').textContent()).toContain('600 of 2,760');
  });

  it('shows neuron info on hover', async () => {
    const p = await neuron(1, 7);
    await page.mouse.move(p.x, p.y);
    const info = page.locator('[data-testid=neuron-info]');
    await info.waitFor({ timeout: 5000 });
    expect(await info.textContent()).toMatch(/hidden 60.*neuron 7.*x .*mask/s);
  });

  it('shows synapse distance and weight after clicking two neurons', async () => {
    const a = await neuron(0, 3);
    const b = await neuron(1, 11);
    await page.mouse.click(a.x, a.y);
    await page.mouse.click(b.x, b.y);
    await page.mouse.move(5, 5); // off the plot: the picked synapse stays
    const info = page.locator('[data-testid=synapse-info]');
    await info.waitFor({ timeout: 5000 });
    const text = (await info.textContent()) ?? '';
    expect(text).toMatch(/input 40:3 → hidden 60:11 \(picked\)/);
    const [, d, w, mask] = /d ([\d.e-]+) · w = mask\/d = ([-\d.e]+).*mask ([-\d.e]+)/s.exec(text) ?? [];
    expect(Number(d)).toBeGreaterThan(0);
    expect(Number(w)).toBeCloseTo(Number(mask) / Number(d), 2);
  });

  it('draws one panel per layer in planes mode', async () => {
    const before = await frames();
    await page.locator('[data-testid=mode-planes]').click();
    const share = inkShare(await shoot('embedding-planes.png', before));
    expect(share.nonBackground).toBeGreaterThan(0.02);
    const p = await neuron(2, 0);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator('[data-testid=neuron-info]').textContent()).toMatch(/output 6.*neuron 0/s);
  });

  it('draws the same lines with the GPU line mesh (what real GPUs use)', async () => {
    await page.goto(`${server?.url}?layers=40,60,6&k=600&seed=3&lines=gpu`);
    await page.locator('[data-testid=embedding-view][data-state=ready]').waitFor({ timeout: 20_000 });
    const share = inkShare(await shoot('embedding-stacked-gpu.png', 0));
    expect(share.dark).toBeGreaterThan(0.0005);
  });

  it('shows synapse info when hovering a drawn line', async () => {
    // midpoint of a drawn edge whose ends are far apart (so no neuron is under the pointer)
    const mid = await page.evaluate(() => {
      type Edges = { count: number; layer: Uint8Array; i: Uint32Array; j: Uint32Array };
      type Plot = { edgeSource: { edges: Edges }; neuronScreenPosition(l: number, i: number): [number, number] };
      const plot = (globalThis as unknown as { __embedding: { view: { value: { plot: Plot } } } }).__embedding.view
        .value.plot;
      const e = plot.edgeSource.edges; // a private field, read only by this test
      for (let q = 0; q < e.count; q++) {
        const a = plot.neuronScreenPosition(e.layer[q], e.i[q]);
        const b = plot.neuronScreenPosition(e.layer[q] + 1, e.j[q]);
        if (Math.hypot(b[0] - a[0], b[1] - a[1]) > 150) return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      }
      return null;
    });
    expect(mid).not.toBeNull();
    const box = await host().boundingBox();
    await page.mouse.move((box?.x ?? 0) + (mid as number[])[0], (box?.y ?? 0) + (mid as number[])[1]);
    const info = page.locator('[data-testid=synapse-info]');
    await info.waitFor({ timeout: 5000 });
    expect(await info.textContent()).toMatch(/synapse .*→.*d [\d.]+ · w = mask\/d/s);
    expect(await info.textContent()).not.toContain('picked');
  });

  it('needed no eval under the CSP, logged no errors, and tears down cleanly', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await page.evaluate(() =>
      (
        globalThis as unknown as { __embedding: { view: { value: { plot: { destroy(): void } } } } }
      ).__embedding.view.value.plot.destroy(),
    );
    expect(await page.locator('.canvas-host canvas').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
