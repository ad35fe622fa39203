/**
 * Screenshots of every renderer view against the mock lab, into test-artifacts/views/.
 * Run: npx tsx test/e2e/shoot-views.ts [--skip-build] [--only views|pruning]
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
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1] : '';
/** waits until every embedding view on the page has drawn its current data */
async function embeddingsSettled(page: Page): Promise<void> {
  const all = page.getByTestId('embedding-view');
  const settled = page.locator('[data-testid=embedding-view][data-state=ready][data-busy=false]');
  for (let t = 0; t < 600; t++) {
    const n = await all.count();
    if (n > 0 && (await settled.count()) === n) return;
    await sleep(100);
  }
  throw new Error('embedding views did not settle within 60 s');
}
/** clicks the curve point with this key (positions published by SparsityChart in data-points) */
async function clickPoint(page: Page, testid: string, key: string): Promise<void> {
  const chart = page.getByTestId(testid);
  await chart.scrollIntoViewIfNeeded();
  const points = JSON.parse((await chart.getAttribute('data-points')) ?? '[]') as {
    key: string;
    x: number;
    y: number;
  }[];
  const p = points.find((q) => q.key === key);
  const box = await chart.boundingBox();
  if (!p || !box) throw new Error(`no point ${key} on ${testid}`);
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

if (!process.argv.includes('--skip-build')) await buildForTest(scratch);
const { url, server } = await serve(scratch);
const browser = await launch();
const allErrors: string[] = [];

try {
  if (only !== 'pruning') await shootViews();
  if (only !== 'views') await shootPruning();
} finally {
  await browser.close();
  server.close();
}

async function shootViews(): Promise<void> {
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
    await page
      .locator('[data-testid=history-row][data-run-id=run0006] [data-testid=row-select]')
      .check()
      .catch(() => undefined);
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
    await page.evaluate(
      `window.__senMock.emit('lab/error', { message: 'training worker for run0011 exited with code 134 (out of memory)', runId: 'run0011' })`,
    );
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
    const { page, errors } = await openApp(browser, url, scratch, {
      hash: '#/runs',
      mock: { runs: 1000, fail: { setArchived: 'database is locked' } },
    });
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
    console.log(
      `  history with ${count} rows: first render ${firstRender} ms (incl. load), sort ${sortMs}/${sortBackMs} ms, search ${searchMs} ms, clear ${clearMs} ms, select ${selectMs} ms`,
    );
    await page.getByTestId('row-archive').first().click();
    await page.getByTestId('toast').first().waitFor();
    await shot(page, '14-history-1000-with-error-toast');
    allErrors.push(...errors);
    await page.close();
  }
}

/** Pruning: studies list and form, a live study, curves with the paper overlay, side by side, the Pruning tab. */
async function shootPruning(): Promise<void> {
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/studies', mock: { studyStepMs: 400 } });
    await page.getByTestId('study-row').first().waitFor();
    await shot(page, '20-studies');
    await page.getByTestId('study-new').click();
    await page.getByTestId('study-preset-paper-3d').check();
    await page.getByTestId('study-preset-baseline-14').check();
    await page.getByTestId('study-add-run').selectOption('run0009');
    await page.getByTestId('study-mode-during').check();
    await page.getByTestId('study-seeds').fill('1, 2');
    await page.getByTestId('study-epochs').fill('3');
    await page.getByTestId('study-train-size').fill('6000');
    await page.getByTestId('study-name').fill('shortened 3D vs B14');
    await shot(page, '21-study-form');
    await page.getByTestId('study-start').click();
    await page.getByTestId('study-view').waitFor();
    await page
      .locator('[data-testid=study-curve][data-lines="4"]')
      .waitFor({ timeout: 20_000 })
      .catch(async (err) => {
        await shot(page, '22-study-live-FAILED');
        throw err;
      });
    await sleep(1200);
    await shot(page, '22-study-live');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/studies/study001', height: 1000 });
    await page.locator('[data-testid=study-curve][data-lines]').waitFor();
    await sleep(600);
    await shot(page, '23-study-curves');
    await page.getByTestId('study-paper-toggle').check();
    await page.getByTestId('study-spread').selectOption('std');
    await sleep(600);
    await shot(page, '24-study-paper-overlay');
    await clickPoint(page, 'study-curve', '3D MLP|post|0.9');
    await page.getByTestId('side-by-side').waitFor();
    await embeddingsSettled(page);
    await page.getByTestId('side-by-side').evaluate((e) => e.scrollIntoView());
    await sleep(400);
    await shot(page, '25-side-by-side');
    await page.locator('[data-testid=layer-sparsity]').scrollIntoViewIfNeeded();
    await sleep(400);
    await shot(page, '26-side-by-side-histograms');
    await page.getByTestId('side-compare').selectOption('Baseline 14');
    await embeddingsSettled(page);
    await page.getByTestId('side-by-side').evaluate((e) => e.scrollIntoView());
    await sleep(400);
    await shot(page, '27-side-by-side-models');
    await clickPoint(page, 'study-curve', '3D MLP|during|0.95').catch(async () => {
      await page.locator('[data-testid=study-table-row][data-key="3D MLP|during|0.95"]').click();
    });
    await page.locator('[data-testid=side-by-side][data-point="3D MLP|during|0.95"]').waitFor();
    await page.getByTestId('side-compare').selectOption('unpruned');
    await embeddingsSettled(page);
    await page.getByTestId('side-by-side').evaluate((e) => e.scrollIntoView());
    await sleep(400);
    await shot(page, '28-side-by-side-during');
    allErrors.push(...errors);
    await page.close();
  }
  {
    const { page, errors } = await openApp(browser, url, scratch, { hash: '#/runs/run0002?tab=pruning', height: 1300 });
    await page.getByTestId('prune-slider').waitFor();
    await embeddingsSettled(page);
    await page.locator('[data-testid=prune-unpruned] b').filter({ hasText: '%' }).waitFor();
    await shot(page, '29-run-pruning');
    const slider = page.getByTestId('prune-slider');
    const min = Number(await slider.getAttribute('min'));
    const max = Number(await slider.getAttribute('max'));
    await slider.fill(String(min + (max - min) * 0.45));
    await page.locator('[data-testid=prune-accuracy][data-state=current]').waitFor();
    await embeddingsSettled(page);
    await sleep(300);
    await shot(page, '30-run-pruning-slider');
    await page.getByTestId('prune-sweep').click();
    await page.locator('[data-testid=prune-sweep-chart][data-lines]').waitFor();
    await sleep(500);
    await shot(page, '31-run-pruning-sweep');
    await page.getByTestId('weight-histogram').scrollIntoViewIfNeeded();
    await sleep(300);
    await shot(page, '31b-run-pruning-histograms');
    await page.goto(`${url}#/runs/run0006?tab=pruning`);
    await page.getByTestId('prune-sweep').click();
    await page.locator('[data-testid=prune-sweep-chart][data-lines]').waitFor();
    await sleep(500);
    await shot(page, '32-run-pruning-dense');
    allErrors.push(...errors);
    await page.close();
  }
}

if (allErrors.length) {
  console.log('page errors:');
  for (const e of allErrors) console.log(`  ${e}`);
  process.exitCode = 1;
} else console.log('no page errors');
