/**
 * End-to-end tests of the pruning views (Studies, a study's curves / table / side-by-side view, the
 * Pruning tab of a run) in headless Chromium against the mock LabApi (test/e2e/fixtures): the
 * production renderer build with its real CSP, served over loopback. Skipped without /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MockStats } from './fixtures/mock-lab';
import { CHROMIUM, useMockLabPage } from './harness';

const scratch = join(import.meta.dirname, '../../test-artifacts/renderer-pruning-build');
const missing = existsSync(CHROMIUM) ? '' : ` [skipped: ${CHROMIUM} not installed]`;
/** SideBySide.vue's line cap per embedding */
const LINE_CAP_SIDE = 100_000;

/** what SparsityChart publishes in data-points: clickable points in CSS px relative to the chart */
type ChartPoint = { key: string; x: number; y: number };

describe.skipIf(missing !== '')(`pruning views against the mock lab${missing}`, () => {
  const { open, errors } = useMockLabPage({ scratch });

  const stats = (page: Page): Promise<MockStats> => page.evaluate('window.__senMock.stats()') as Promise<MockStats>;

  async function chartPoints(page: Page, testid: string): Promise<ChartPoint[]> {
    return JSON.parse((await page.getByTestId(testid).getAttribute('data-points')) ?? '[]') as ChartPoint[];
  }

  /** a real click on the canvas at the point's position (goes through ECharts' hit testing) */
  async function clickPoint(page: Page, testid: string, key: string): Promise<void> {
    const chart = page.getByTestId(testid);
    await chart.scrollIntoViewIfNeeded();
    const p = (await chartPoints(page, testid)).find((q) => q.key === key);
    const box = await chart.boundingBox();
    if (!p || !box) throw new Error(`no point ${key} on ${testid}`);
    await page.mouse.click(box.x + p.x, box.y + p.y);
  }

  async function embeddingsReady(page: Page, count: number): Promise<void> {
    const ready = page.locator('[data-testid=embedding-view][data-state=ready]');
    await expect.poll(() => ready.count(), { timeout: 60_000 }).toBe(count);
  }

  it('the New study form validates, starts a study, and its progress, curves and table follow', async () => {
    const page = await open({ hash: '#/studies', mock: { studyStepMs: 60 } });
    await page.getByTestId('study-row').first().waitFor();
    expect(await page.getByTestId('study-row').count()).toBe(2); // the seeded Fig. 3 study and an interrupted one

    await page.getByTestId('study-new').click();
    await page.getByTestId('study-start').click();
    await expect(page.getByTestId('error-models').textContent()).resolves.toContain('at least one');
    await page.getByTestId('study-rates').fill('20, 140');
    await expect(page.getByTestId('error-rates').textContent()).resolves.toContain('140');
    await page.getByTestId('study-rates').fill('20, 40, 60, 80, 90, 95');

    await page.getByTestId('study-preset-paper-3d').check();
    await page.getByTestId('study-preset-baseline-14').check();
    await page.getByTestId('study-seeds').fill('1, 2');
    await page.getByTestId('study-epochs').fill('3');
    await page.getByTestId('study-train-size').fill('6000');
    await expect(page.getByTestId('study-plan').textContent()).resolves.toContain('24 measured points');
    await page.getByTestId('study-start').click();

    await page.getByTestId('study-view').waitFor();
    expect(page.url()).toMatch(/#\/studies\/study003$/);
    await page.locator('[data-testid=study-view][data-status=completed]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('study-progress').getAttribute('data-done')).toBe('24');
    // one line per model and mode plus an unpruned reference per model; 6 clickable points per model
    await expect.poll(() => page.getByTestId('study-curve').getAttribute('data-lines')).toBe('4');
    await expect.poll(async () => (await chartPoints(page, 'study-curve')).length).toBe(12);
    expect(await page.getByTestId('study-table-row').count()).toBe(14); // per model: unpruned + 6 rates
    await expect(
      page.locator('[data-testid=study-table-row][data-key="paper-3d|post|0.8"]').textContent(),
    ).resolves.toMatch(/80%.*\d+\.\d+% ± \d+\.\d+%/);

    await page.getByTestId('study-paper-toggle').check();
    await expect.poll(() => page.getByTestId('study-curve').getAttribute('data-lines')).toBe('7'); // + the paper's 3 post curves

    // the study's figure exports like run figures do: one kind, the paper overlay follows the toggle
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-popover').waitFor();
    expect(await page.getByTestId('export-kind').count()).toBe(0);
    expect(await page.getByTestId('export-paper').isChecked()).toBe(true);
    await page.getByTestId('export-go').click();
    await page.getByTestId('export-popover').waitFor({ state: 'detached' });
    expect(await page.getByTestId('export-error').count()).toBe(0);

    await page.getByTestId('nav-pruning').click();
    await page.locator('[data-testid=study-row][data-study-id=study003][data-status=completed]').waitFor();
  });

  it('clicking a point of the curve shows the network unpruned and pruned side by side', async () => {
    const page = await open({ hash: '#/studies/study001' });
    await expect.poll(async () => (await chartPoints(page, 'study-curve')).length).toBe(36); // 3 models x 2 modes x 6 rates
    await clickPoint(page, 'study-curve', '3D MLP|post|0.8');

    const side = page.locator('[data-testid=side-by-side][data-point="3D MLP|post|0.8"]');
    await side.waitFor();
    expect(decodeURIComponent(page.url())).toMatch(/\?point=3D[+ ]MLP\|post\|0\.8$/); // linkable
    await expect.poll(() => page.getByTestId('side-left').getAttribute('data-pruned')).toBe('false');
    await expect.poll(() => page.getByTestId('side-right').getAttribute('data-pruned')).toBe('true');
    // post-training: both sides show the same (base) run
    expect(await page.getByTestId('side-left').getAttribute('data-run-id')).toBe('run0002');
    expect(await page.getByTestId('side-right').getAttribute('data-run-id')).toBe('run0002');
    await expect(page.getByTestId('side-right').getByTestId('pane-accuracy').textContent()).resolves.toMatch(
      /\d+\.\d+%/,
    );
    await expect(page.getByTestId('side-right').textContent()).resolves.toContain('80.0% removed');
    await embeddingsReady(page, 2);
    // the pruned side draws exactly the kept connections (d <= cut-off), the strongest up to the line cap
    const paneText = (await page.getByTestId('side-right').textContent()) ?? '';
    const kept = Number(/([\d,]+) of 1,626,112 connections kept/.exec(paneText)?.[1].replace(/,/g, ''));
    const lineStats = (await page.getByTestId('side-right').getByTestId('line-stats').textContent()) ?? '';
    const drawn = Number(
      /([\d,]+) of 1,626,112 connections within the distance cut-off/.exec(lineStats)?.[1].replace(/,/g, ''),
    );
    expect(kept).toBeGreaterThan(0);
    expect(drawn).toBe(Math.min(kept, LINE_CAP_SIDE));
    expect(paneText).toContain(
      kept > LINE_CAP_SIDE ? 'strongest |w| of the' : `all ${kept.toLocaleString('en-US')} kept connections`,
    );

    // global ranking: exactly 80 % of all connections go; the histograms show it
    await expect
      .poll(async () => Number(await page.getByTestId('layer-sparsity').getAttribute('data-sparsity')))
      .toBeCloseTo(0.8, 4);
    await page.locator('[data-testid=weight-histogram][data-ready=true]').waitFor();

    // a table row selects too; the other model at the same sparsity replaces the unpruned side
    await page.locator('[data-testid=study-table-row][data-key="3D MLP|during|0.9"]').click();
    await page.locator('[data-testid=side-by-side][data-point="3D MLP|during|0.9"]').waitFor();
    await page.getByTestId('side-compare').selectOption('Baseline 14');
    await expect
      .poll(() => page.getByTestId('side-right').textContent())
      .toContain('dense model has no neuron positions');
    await expect(page.getByTestId('side-right').textContent()).resolves.toContain('Baseline 14 · pruned 90%');
  });

  it('the distance slider updates sparsity at once and accuracy with one request in flight, latest wins', async () => {
    const page = await open({ hash: '#/runs/run0002?tab=pruning', mock: { pruneMs: 300 } });
    const slider = page.getByTestId('prune-slider');
    await slider.waitFor();
    // the unpruned accuracy itself (its <b>), not the run's final accuracy beside it: that request must be
    // answered before the drags, or it is a second request in flight
    await page.locator('[data-testid=prune-unpruned] b').filter({ hasText: '%' }).waitFor();
    expect((await stats(page)).pruneInFlight).toBe(0);
    expect(await page.getByTestId('prune-sparsity').getAttribute('data-sparsity')).toBe('0.000000');
    const min = Number(await slider.getAttribute('min'));
    const max = Number(await slider.getAttribute('max'));

    /** sets the slider to each fraction of its range in one task (like a fast drag); returns the final value */
    const drag = (fractions: number[]): Promise<string> =>
      page.evaluate(`(() => {
        const s = document.querySelector('[data-testid=prune-slider]');
        for (const f of ${JSON.stringify(fractions)}) {
          s.value = String(${min} + (${max} - ${min}) * f);
          s.dispatchEvent(new Event('input', { bubbles: true }));
        }
        return s.value;
      })()`) as Promise<string>;
    const sliderCalls = async (from: number) =>
      ((await stats(page)).pruneRequests.slice(from) as { maxDistances?: number[]; testSize?: number }[]).map(
        (r) => r.maxDistances?.[0],
      );
    const accuracy = page.getByTestId('prune-accuracy');
    const settled = async (value: string): Promise<void> => {
      await page.locator('[data-testid=prune-accuracy][data-state=current]').waitFor({ timeout: 15_000 });
      expect(Number(await accuracy.getAttribute('data-distance'))).toBeCloseTo(Number(value), 9);
    };

    // a fast drag: sparsity follows at once (client-side), one request for the final value only
    let from = (await stats(page)).pruneCalls;
    const last = await drag([0.8, 0.7, 0.6, 0.5, 0.4]);
    const sparsity = Number(await page.getByTestId('prune-sparsity').getAttribute('data-sparsity'));
    expect(sparsity).toBeGreaterThan(0.05);
    await expect(page.getByTestId('prune-sparsity').textContent()).resolves.toMatch(
      /\d+\.\d%\s*[\d,]+ of 1,626,112 kept/,
    );
    await settled(last);
    expect(await sliderCalls(from)).toEqual([Number(last)]);
    expect(Number(await accuracy.getAttribute('data-accuracy'))).toBeGreaterThan(0.1);
    // the engine's own selection (mock: src/core/prune on the same snapshot) agrees with the renderer's count
    expect(Number(await accuracy.getAttribute('data-result-sparsity'))).toBeCloseTo(sparsity, 3);
    expect((await stats(page)).pruneRequests.at(-1)).toEqual({ maxDistances: [Number(last)], testSize: 2000 });

    // moves while a request is in flight: it is not cancelled, the values in between are skipped, the latest is sent next
    from = (await stats(page)).pruneCalls;
    const first = await drag([0.3]);
    await expect.poll(() => stats(page).then((x) => x.pruneInFlight)).toBe(1);
    const latest = await drag([0.25, 0.2, 0.15]);
    await page.locator('[data-testid=prune-accuracy][data-state=stale]').waitFor(); // the old answer, marked as such
    await settled(latest);
    expect(await sliderCalls(from)).toEqual([Number(first), Number(latest)]);
    expect((await stats(page)).maxPruneInFlight).toBe(1);
  });

  it('the post-training sweep plots accuracy against sparsity for the run', async () => {
    const page = await open({ hash: '#/runs/run0002?tab=pruning', mock: { pruneMs: 50 } });
    await page.getByTestId('prune-sweep').click();
    await page.locator('[data-testid=prune-sweep-chart][data-lines]').waitFor();
    expect(await page.locator('[data-testid=prune-sweep-table] tbody tr').count()).toBe(6);
    expect(await page.getByTestId('prune-sweep-chart').getAttribute('data-lines')).toBe('2'); // sweep + unpruned
    await page.getByTestId('sweep-paper-toggle').check();
    await expect.poll(() => page.getByTestId('prune-sweep-chart').getAttribute('data-lines')).toBe('5');
  });

  it('a running study can be stopped, then deleted', async () => {
    const page = await open({ hash: '#/studies?new=1', mock: { studyStepMs: 400 } });
    await page.getByTestId('study-preset-quick').check();
    await page.getByTestId('study-start').click();
    await page.getByTestId('study-stop').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('study-progress').getAttribute('data-done')))
      .toBeGreaterThan(0);
    await page.getByTestId('study-stop').click();
    await page.locator('[data-testid=study-view][data-status=interrupted]').waitFor();
    await page.getByTestId('study-delete').click();
    await page.getByTestId('confirm-delete-study').click();
    await page.getByTestId('studies-view').waitFor();
    await page.getByTestId('study-row').first().waitFor();
    expect(await page.locator('[data-testid=study-row][data-study-id=study003]').count()).toBe(0);
  });

  it('no page errors', () => {
    expect(errors()).toEqual([]);
  });
});
