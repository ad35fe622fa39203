/**
 * Screenshots of every renderer view against the mock lab, into test-artifacts/views/.
 * Run: npx tsx test/e2e/shoot-views.ts [--skip-build]
 * Also prints timings (History with 1,000 runs) and any page errors.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { buildForTest, launch, openApp, serve } from './harness';

const root = resolve(import.meta.dirname, '../..');
const scratch = join(root, 'test-artifacts/e2e-build');
const outDir = join(root, 'test-artifacts/views');
mkdirSync(outDir, { recursive: true });

const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(outDir, `${name}.png`) });
  console.log(`  ${name}.png`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!process.argv.includes('--skip-build')) await buildForTest(scratch);
const { url, server } = await serve(scratch);
const browser = await launch();
const allErrors: string[] = [];

try {
  {
    const { page, errors } = await openApp(browser, url, scratch, { mock: { runs: 'empty' }, hash: '#/runs' });
    await page.getByTestId('empty-state').waitFor();
    await shot(page, '01-history-empty');
    await page.goto(`${url}#/live`);
    await page.getByTestId('empty-state').waitFor();
    await shot(page, '02-live-none');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/runs' });
    await page.getByTestId('history-row').first().waitFor();
    await shot(page, '03-history');
    await page.getByTestId('history-search').fill('paper');
    await page.locator('[data-testid=history-row][data-run-id=run0004] [data-testid=row-tags]').click();
    await page.locator('[data-testid=history-row][data-run-id=run0002] [data-testid=row-select]').check();
    await page.locator('[data-testid=history-row][data-run-id=run0003] [data-testid=row-select]').check();
    await page.locator('[data-testid=history-row][data-run-id=run0006] [data-testid=row-select]').check().catch(() => undefined);
    await shot(page, '04-history-search-select');
    await page.getByTestId('history-search').fill('');
    await page.locator('[data-testid=history-row][data-run-id=run0001] [data-testid=row-delete]').click();
    await page.getByTestId('confirm-delete').waitFor();
    await shot(page, '05-history-delete-dialog');
    await page.getByTestId('confirm-delete').click();
    await page.locator('[data-testid=history-row][data-run-id=run0001]').waitFor({ state: 'detached' });

    await page.locator('[data-testid=history-row][data-run-id=run0005] [data-testid=row-select]').check();
    await page.getByTestId('compare-selected').click();
    await page.getByTestId('config-diff').waitFor();
    await sleep(800);
    await shot(page, '06-compare');

    await page.goto(`${url}#/runs/run0002`);
    await page.getByTestId('scrubber').waitFor();
    await sleep(500);
    await shot(page, '07-run-detail');
    await page.goto(`${url}#/runs/run0004`);
    await page.getByTestId('detail-resume').waitFor();
    await sleep(400);
    await shot(page, '08-run-detail-interrupted');
    await page.goto(`${url}#/compare`);
    await page.getByTestId('empty-state').waitFor();
    await shot(page, '08b-compare-empty');
    await page.goto(`${url}#/live`);
    await page.waitForURL(/#\/runs\/run0011\/live$/);
    await page.getByTestId('live-view').waitFor();
    await sleep(1500);
    await page.evaluate(`window.__senMock.emit('lab/error', { message: 'training worker for run0011 exited with code 134 (out of memory)', runId: 'run0011' })`);
    await page.getByTestId('toast').first().waitFor();
    await shot(page, '08c-live-redirect-and-lab-error');
    await page.goto(`${url}#/runs/run0011`);
    await page.getByTestId('detail-live-link').waitFor();
    await sleep(600);
    await shot(page, '08d-run-detail-running');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/runs/run0005', width: 1100, height: 760 });
    await page.getByTestId('scrubber').waitFor();
    await sleep(500);
    await shot(page, '15-detail-narrow');
    await page.goto(`${url}#/new`);
    await page.getByTestId('param-count').filter({ hasText: /\d/ }).waitFor();
    await page.getByTestId('field-kind').selectOption('dense');
    await page.getByTestId('field-dataset').selectOption('__folder__');
    await page.getByTestId('field-dataset-path').fill('/tmp/nowhere');
    await sleep(600);
    await shot(page, '16-new-run-narrow-dense-folder');
    await page.goto(`${url}#/runs/nope`);
    await page.getByTestId('detail-error').waitFor();
    await shot(page, '17-detail-missing');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/new', mock: { epochMs: 2500 } });
    await page.getByTestId('param-count').filter({ hasText: /\d/ }).waitFor();
    await shot(page, '09-new-run');
    await page.getByTestId('field-epochs').fill('0');
    await page.getByTestId('field-learning-rate').fill('-1');
    await sleep(400);
    await shot(page, '10-new-run-errors');
    await page.getByTestId('field-epochs').fill('30');
    await page.getByTestId('field-learning-rate').fill('0.005');
    await page.getByTestId('field-layers').fill('700,128,10');
    await page.getByTestId('error-layers').waitFor();
    await shot(page, '10b-new-run-server-error');
    await page.getByTestId('field-layers').fill('784,96,10');
    await page.getByTestId('field-train-size').fill('6000');
    await page.getByTestId('field-name').fill('live demo');
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-view').waitFor();
    await sleep(6000);
    await shot(page, '11-live');
    // zoom the loss chart with the wheel, then check the zoom survives live updates
    const chart = page.locator('.chart').first();
    const box = await chart.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
    }
    await sleep(3500);
    await shot(page, '12-live-zoomed-after-updates');
    await page.getByTestId('stop-run').click();
    await page.getByTestId('resume-run').waitFor();
    await shot(page, '13-live-stopped');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/runs', mock: { runs: 1000, fail: { setArchived: 'database is locked' } } });
    const t0 = Date.now();
    await page.getByTestId('history-row').first().waitFor();
    const firstRender = Date.now() - t0;
    const count = await page.getByTestId('history-row').count();
    /** time from a click/input to the next painted frame, measured inside the page */
    // a string so this file needs no DOM typings (it is type-checked with the Node project)
    const timed = (action: string): Promise<number> =>
      page.evaluate(`(async (a) => {
        const t = performance.now();
        if (a.startsWith('click:')) document.querySelector(a.slice(6)).click();
        else {
          const input = document.querySelector('[data-testid=history-search]');
          input.value = a.slice(7);
          input.dispatchEvent(new Event('input'));
        }
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return Math.round(performance.now() - t);
      })(${JSON.stringify(action)})`);
    const sortMs = await timed('click:[data-testid=sort-testAccuracy]');
    const sortBackMs = await timed('click:[data-testid=sort-testAccuracy]');
    const searchMs = await timed('search:spatial-512');
    const clearMs = await timed('search:');
    const selectMs = await timed('click:[data-testid=row-select]');
    console.log(`  history with ${count} rows: first render ${firstRender} ms (incl. load), sort ${sortMs}/${sortBackMs} ms, search ${searchMs} ms, clear ${clearMs} ms, select ${selectMs} ms`);
    await page.getByTestId('row-archive').first().click();
    await page.getByTestId('toast').first().waitFor();
    await shot(page, '14-history-1000-with-error-toast');
    allErrors.push(...errors);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

if (allErrors.length) {
  console.log('page errors:');
  for (const e of allErrors) console.log(`  ${e}`);
  process.exitCode = 1;
} else console.log('no page errors');
