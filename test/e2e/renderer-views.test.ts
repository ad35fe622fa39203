/**
 * End-to-end tests of the renderer's views in headless Chromium against the in-memory mock LabApi
 * (test/e2e/fixtures/mock-lab.ts): the production renderer build with its real CSP, served over
 * loopback. Skipped without /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, useMockLabPage } from './harness';
import { EmbeddingPanel, inkShare } from './pages';

const scratch = join(import.meta.dirname, '../../test-artifacts/renderer-e2e-build');
const missing = existsSync(CHROMIUM) ? '' : ` [skipped: ${CHROMIUM} not installed]`;

describe.skipIf(missing !== '')(`renderer views against the mock lab${missing}`, () => {
  const { open, errors } = useMockLabPage({ scratch });

  const row = (page: Page, id: string) => page.locator(`[data-testid=history-row][data-run-id=${id}]`);

  it('History lists, searches and deletes runs through an in-app dialog', async () => {
    const page = await open({ hash: '#/runs' });
    await row(page, 'run0002').waitFor();
    expect(await page.getByTestId('history-row').count()).toBe(10); // 11 curated, one archived

    await page.getByTestId('history-search').fill('fig-1');
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(1);
    await page.getByTestId('history-search').fill('');

    await row(page, 'run0001').getByTestId('row-delete').click();
    await page.getByTestId('confirm-delete').click();
    await row(page, 'run0001').waitFor({ state: 'detached' });
    await page.getByTestId('history-show-archived').check();
    await row(page, 'run0010').waitFor();
  });

  it('Compare shows the config diff of the selected runs', async () => {
    const page = await open({ hash: '#/runs' });
    await row(page, 'run0002').getByTestId('row-select').check();
    await row(page, 'run0003').getByTestId('row-select').check();
    await page.getByTestId('compare-selected').click();
    await page.getByTestId('config-diff').waitFor();
    expect(page.url()).toMatch(/#\/compare\?ids=run0003,run0002$|#\/compare\?ids=run0002,run0003$/);
    const differing = page.locator('[data-testid=diff-row][data-differs=true] th');
    await expect.poll(() => differing.allTextContents()).toContain('model.zMode');
  });

  it('New run validates fields, maps server errors to fields, starts, and the live view follows it', async () => {
    const page = await open({ hash: '#/new', mock: { epochMs: 1500 } });
    await page.getByTestId('param-count').filter({ hasText: /\d/ }).waitFor();

    await page.getByTestId('field-epochs').fill('0');
    await expect(page.getByTestId('error-epochs').textContent()).resolves.toContain('integer');
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
    await page.getByTestId('field-epochs').fill('20');

    await page.getByTestId('field-layers').fill('700,64,10');
    await expect(page.getByTestId('error-layers').textContent()).resolves.toContain('784');
    await page.getByTestId('field-layers').fill('784,64,10');
    await expect.poll(() => page.getByTestId('param-count').textContent()).toBe('2,640'); // 2·858 positions + 74 biases + 848 masks + 2 gaps

    await page.getByTestId('field-train-size').fill('3000');
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-view').waitFor();
    expect(page.url()).toMatch(/#\/runs\/mock\d+\/live$/);

    // the chart is updated in place, never re-created (so zoom survives)
    await page
      .locator('.chart canvas')
      .first()
      .evaluate((c) => ((c as unknown as { marked: boolean }).marked = true));
    await expect
      .poll(() => page.getByTestId('live-epoch').textContent(), { timeout: 10_000 })
      .toMatch(/^\s*[2-9] \/ 20/);
    expect(
      await page
        .locator('.chart canvas')
        .first()
        .evaluate((c) => (c as unknown as { marked?: boolean }).marked),
    ).toBe(true);
    await expect.poll(() => page.getByTestId('snapshot-label').textContent()).toContain('live');

    // the live view redraws on one clock, embedding included: auto = once a second on SwiftShader
    expect(await page.getByTestId('live-refresh').inputValue()).toBe('auto');
    expect(await page.getByTestId('live-refresh').getAttribute('data-hz')).toBe('1');
    expect(await page.getByTestId('live-refresh').locator('option:checked').textContent()).toBe('auto (1/s, no GPU)');
    const embedding = new EmbeddingPanel(page);
    await embedding.waitReady();
    const before = await embedding.frames();
    await embedding.waitForFrameAfter(before, 10_000); // live positions keep arriving and are drawn
    expect(inkShare(await embedding.canvasShot())).toBeGreaterThan(0.01);

    await page.getByTestId('stop-run').click();
    await page.getByTestId('resume-run').waitFor();
    await page.getByTestId('resume-run').click();
    await page.getByTestId('stop-run').waitFor();

    // the refresh rate is the user's choice and is remembered
    await page.getByTestId('live-refresh').selectOption('4');
    expect(await page.getByTestId('live-refresh').getAttribute('data-hz')).toBe('4');
    await page.reload();
    await page.getByTestId('live-refresh').waitFor();
    expect(await page.getByTestId('live-refresh').inputValue()).toBe('4');
  });

  it('a view that comes back reuses the WebGL renderer (and its canvas) of the last one, and draws', async () => {
    const page = await open({ hash: '#/runs/run0004' });
    const embedding = new EmbeddingPanel(page);
    await embedding.waitReady();
    expect(inkShare(await embedding.canvasShot())).toBeGreaterThan(0.01);
    await embedding.root.locator('canvas').evaluate((c) => ((c as unknown as { marked: boolean }).marked = true));
    await page.evaluate(`location.hash = '#/runs'`);
    await row(page, 'run0002').waitFor();
    await page.evaluate(`location.hash = '#/runs/run0004'`);
    await page.getByTestId('scrubber').waitFor();
    await embedding.waitReady();
    expect(await embedding.root.locator('canvas').evaluate((c) => (c as unknown as { marked?: boolean }).marked)).toBe(
      true,
    );
    expect(inkShare(await embedding.canvasShot())).toBeGreaterThan(0.01);
  });

  it('shows lab/error events and failed calls as toasts instead of failing', async () => {
    const page = await open({ hash: '#/runs', mock: { fail: { setArchived: 'database is locked' } } });
    await row(page, 'run0002').getByTestId('row-archive').click();
    await expect
      .poll(() => page.getByTestId('toast').allTextContents())
      .toEqual([expect.stringContaining('database is locked')]);
    await page.evaluate(`window.__senMock.emit('lab/error', { message: 'worker exited with code 134' })`);
    await expect.poll(() => page.getByTestId('toast').count()).toBe(2);
  });

  it('run detail scrubs stored snapshots and offers Resume for an interrupted run', async () => {
    const page = await open({ hash: '#/runs/run0004' });
    await page.getByTestId('detail-resume').waitFor();
    await page.getByTestId('scrubber').waitFor();
    await expect.poll(() => page.getByTestId('scrubber-epoch').textContent()).toContain('epoch 15');
    await page.getByTestId('scrubber-range').fill('0');
    await expect.poll(() => page.getByTestId('scrubber-epoch').textContent()).toContain('epoch 0');
  });

  it('History stays responsive with 1,000 runs (windowed rows)', async () => {
    const page = await open({ hash: '#/runs', mock: { runs: 1000 } });
    await page.getByTestId('history-row').first().waitFor();
    expect(await page.getByTestId('history-row').count()).toBeLessThan(120);
    await page.getByTestId('history-show-archived').check();
    await page.getByTestId('history-search').fill('#777');
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(1);
  });

  it('no page errors', () => {
    expect(errors()).toEqual([]);
  });
});
