/**
 * A small pruning study run from the UI against the REAL backend in browser mode
 * (`node bin/serve.mjs --port 0 --db <tmp>`), in Debian's Chromium with the built renderer:
 *
 *   a completed spatial run (preset quick, 784-16-10, 1 epoch on 1,000 / 300 MNIST images) is
 *   trained into the database before the server starts -> #/studies?new=1: add that run, rates
 *   50, 90, modes post + during, 1 seed, 1 epoch, 1,000 / 300 images -> Start -> the study view
 *   runs to 'completed' -> the accuracy-vs-sparsity chart and the table show both rates in both
 *   modes -> a real click on a curve point opens the side-by-side view with two embedding panes.
 *
 * Screenshots go to test-artifacts/e2e/study-*.png. Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import { trainTiny } from '../study/helpers';
import {
  ARTIFACTS,
  chromiumMissing,
  EmbeddingPanel,
  ensureRendererBuilt,
  LabServerProcess,
  launchChromium,
  pollNode,
} from './pages';

const missing = chromiumMissing();
const MILESTONE_MS = 60_000;

/** what SparsityChart publishes in data-points: clickable points in CSS px relative to the chart */
type ChartPoint = { key: string; x: number; y: number };

interface StudyLike {
  id: string;
  status: string;
  done: number;
  total: number;
  results: { model: string; mode: string; rate: number; runId: string; sparsity: number }[];
}

describe.skipIf(!!missing)(
  `pruning study from the UI: real backend in browser mode, built renderer in Chromium${missing ? ` [skipped: ${missing}]` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sen-lab-study-e2e-'));
    const db = join(dir, 'runs.db');
    let server: LabServerProcess;
    let browser: Browser;
    let page: Page;
    let baseId = '';
    let studyId = '';
    const problems: string[] = [];

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      // the model of the study: a completed spatial run, trained straight into the database
      const store = RunStore.open(db);
      try {
        baseId = await trainTiny(store);
      } finally {
        store.close();
      }
      ensureRendererBuilt((line) => process.stderr.write(`study.e2e: ${line}\n`));
      server = await LabServerProcess.start(db);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop('SIGKILL', 5_000);
      rmSync(dir, { recursive: true, force: true });
    });

    async function chartPoints(): Promise<ChartPoint[]> {
      return JSON.parse((await page.getByTestId('study-curve').getAttribute('data-points')) ?? '[]') as ChartPoint[];
    }

    it('starts a study from the New study form with the stored run as its model', async () => {
      await page.goto(server.route('/studies?new=1'));
      await page.getByTestId('study-form').waitFor();
      const add = page.getByTestId('study-add-run');
      await pollNode(
        async () => (await add.locator(`option[value="${baseId}"]`).count()) === 1,
        'the completed run in "Add a completed run"',
        30_000,
      );
      await add.selectOption(baseId);
      await pollNode(async () => (await page.getByTestId('study-run-chip').count()) === 1, 'the run chip', 10_000);
      await page.getByTestId('study-rates').fill('50, 90');
      await page.getByTestId('study-mode-post').check();
      await page.getByTestId('study-mode-during').check();
      await page.getByTestId('study-seeds').fill('1');
      await page.getByTestId('study-epochs').fill('1');
      await page.getByTestId('study-train-size').fill('1000');
      await page.getByTestId('study-test-size').fill('300');
      expect(await page.getByTestId('study-plan').textContent()).toMatch(/^4 measured points · about 2 trainings$/);
      await page.screenshot({ path: join(ARTIFACTS, 'study-01-form.png') });
      await page.getByTestId('study-start').click();

      const view = page.getByTestId('study-view');
      await view.waitFor({ timeout: 30_000 });
      studyId = (await view.getAttribute('data-study-id')) ?? '';
      expect(studyId).not.toBe('');
      expect(page.url()).toContain(`#/studies/${studyId}`);
    });

    it('runs to completion; the chart and the table show both rates in both modes', async () => {
      const view = page.getByTestId('study-view');
      await pollNode(
        async () => {
          const s = await view.getAttribute('data-status');
          if (s === 'failed' || s === 'interrupted') throw new Error(`study ended ${s}: ${await view.innerText()}`);
          return s === 'completed';
        },
        'the study to complete',
        MILESTONE_MS,
      );
      const progress = page.getByTestId('study-progress');
      expect(await progress.getAttribute('data-done')).toBe('4');
      expect(await progress.getAttribute('data-total')).toBe('4');

      const stored = await server.call<StudyLike>('studies/get', [studyId]);
      expect(stored).toMatchObject({ status: 'completed', done: 4, total: 4 });
      const model = stored.results[0].model;
      expect(stored.results.map((r) => `${r.mode}|${r.rate}`).sort()).toEqual([
        'during|0.5',
        'during|0.9',
        'post|0.5',
        'post|0.9',
      ]);
      expect(stored.results.filter((r) => r.mode === 'post').every((r) => r.runId === baseId)).toBe(true);

      // chart: 4 clickable measured points, keyed model|mode|rate
      const points = await pollNode(
        async () => {
          const p = await chartPoints();
          return p.length === 4 ? p : undefined;
        },
        'four points on the accuracy-vs-sparsity chart',
        30_000,
      );
      expect(points.map((p) => p.key).sort()).toEqual([
        `${model}|during|0.5`,
        `${model}|during|0.9`,
        `${model}|post|0.5`,
        `${model}|post|0.9`,
      ]);
      const box = (await page.getByTestId('study-curve').boundingBox())!;
      for (const p of points) {
        expect(p.x).toBeGreaterThan(0);
        expect(p.x).toBeLessThan(box.width);
        expect(p.y).toBeGreaterThan(0);
        expect(p.y).toBeLessThan(box.height);
      }
      // higher rate further right, same x for both modes
      const at = (key: string): ChartPoint => points.find((p) => p.key === key)!;
      expect(at(`${model}|post|0.9`).x).toBeGreaterThan(at(`${model}|post|0.5`).x);
      expect(Math.abs(at(`${model}|post|0.9`).x - at(`${model}|during|0.9`).x)).toBeLessThanOrEqual(1);

      // table: one row per measured point (plus the unpruned reference), showing the rates
      const table = page.getByTestId('study-table');
      for (const key of points.map((p) => p.key)) {
        const row = table.locator(`[data-testid=study-table-row][data-key="${key}"]`);
        expect(await row.count()).toBe(1);
        const rate = key.endsWith('|0.5') ? '50' : '90';
        expect(await row.locator('td').nth(2).textContent()).toContain(rate);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'study-02-completed.png') });
    });

    it('a click on a curve point shows the side-by-side view with two embedding panes', async () => {
      const chart = page.getByTestId('study-curve');
      await chart.scrollIntoViewIfNeeded();
      // with 1 epoch on 1,000 images the curves lie close together: click the post-training point
      // that stands furthest from every other point, so the hit test cannot pick a neighbour
      const points = await chartPoints();
      const gap = (p: ChartPoint): number =>
        Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
      const target = points.filter((p) => p.key.includes('|post|')).sort((a, b) => gap(b) - gap(a))[0];
      const rate = Number(target.key.split('|')[2]);
      const box = (await chart.boundingBox())!;
      await page.mouse.click(box.x + target.x, box.y + target.y);

      const side = page.locator(`[data-testid=side-by-side][data-point="${target.key}"]`);
      await pollNode(
        async () => (await side.count()) === 1,
        `the side-by-side view of ${target.key} (${gap(target).toFixed(1)} px from its nearest neighbour; url ${decodeURIComponent(page.url())})`,
        30_000,
      );
      expect(decodeURIComponent(page.url())).toContain(`|post|${rate}`);
      await pollNode(
        async () => (await page.getByTestId('side-left').getAttribute('data-pruned')) === 'false',
        'the unpruned left pane',
        30_000,
      );
      await pollNode(
        async () => (await page.getByTestId('side-right').getAttribute('data-pruned')) === 'true',
        'the pruned right pane',
        30_000,
      );
      expect(await page.getByTestId('side-left').getAttribute('data-run-id')).toBe(baseId);
      expect(await page.getByTestId('side-right').getAttribute('data-run-id')).toBe(baseId);
      expect(await page.getByTestId('side-right').textContent()).toContain(`${(rate * 100).toFixed(1)}% removed`);

      // both panes draw their embedding
      await pollNode(
        async () => (await side.locator('[data-testid=embedding-view]').count()) === 2,
        'two embedding panes',
        30_000,
      );
      for (const pane of ['side-left', 'side-right']) {
        const emb = new EmbeddingPanel(page.getByTestId(pane));
        await emb.waitReady(MILESTONE_MS);
        await emb.waitForFrameAfter(0, MILESTONE_MS);
      }
      await side.scrollIntoViewIfNeeded();
      await side.screenshot({ path: join(ARTIFACTS, 'study-03-side-by-side.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'study-04-window.png') });
    });

    it('logged no page errors', () => {
      expect(problems).toEqual([]);
    });
  },
);
