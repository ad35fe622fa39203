/**
 * End-to-end test of the Reproduce view in headless Chromium against the mock LabApi
 * (test/e2e/fixtures/mock-reproduce.ts): nav entry, the form (experiments, seeds, budget with the
 * "shortened" note), start, live progress, the results table when done, and stop.
 * Skipped without /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, useMockLabPage } from './harness';

const scratch = join(import.meta.dirname, '../../test-artifacts/renderer-reproduce-build');
const missing = existsSync(CHROMIUM) ? '' : ` [skipped: ${CHROMIUM} not installed]`;

describe.skipIf(missing !== '')(`reproduce view against the mock lab${missing}`, () => {
  const { open, errors } = useMockLabPage({ scratch });

  it('starts a shortened reproduction, follows its progress and shows the results table', async () => {
    const page = await open({ hash: '#/runs', mock: { reproduceStepMs: 60 } });
    await page.getByTestId('nav-reproduce').click();
    await page.getByTestId('reproduce-view').waitFor();
    expect(page.url()).toContain('#/reproduce');

    await expect(page.getByTestId('reproduce-budget').inputValue()).resolves.toBe('0.01');
    await expect(page.getByTestId('reproduce-shortened-note').textContent()).resolves.toMatch(/Shortened/);
    expect(await page.getByTestId('reproduce-stop').isDisabled()).toBe(true);

    await page.getByTestId('reproduce-budget').fill('3');
    await expect(page.getByTestId('error-budget').textContent()).resolves.toContain('(0, 1]');
    expect(await page.getByTestId('reproduce-start').isDisabled()).toBe(true);
    await page.getByTestId('reproduce-budget').fill('0.01');

    for (const x of ['dims', 'snn', 'pruning']) await page.getByTestId(`reproduce-exp-${x}`).uncheck();
    await page.getByTestId('reproduce-seeds').fill('1, 2');
    await page.getByTestId('reproduce-start').click();

    const progress = page.getByTestId('reproduce-progress');
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute('data-status')).toBe('running');
    await expect.poll(async () => Number(await progress.getAttribute('data-done'))).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('reproduce-messages').textContent())
      .toMatch(/table1: reproduce table1: .* seed 1: training \(3 epochs\)/);

    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    expect(await progress.getAttribute('data-done')).toBe('12'); // 6 Table 1 models x 2 seeds
    await expect(page.getByTestId('reproduce-outdir').textContent()).resolves.toMatch(
      /reports\/sen-lab-report-\d{4}-\d\d-\d\d$/,
    );

    const results = page.getByTestId('reproduce-results');
    await expect.poll(() => results.getAttribute('data-status')).toBe('completed');
    const rows = results.getByTestId('reproduce-row');
    expect(await rows.count()).toBe(6);
    const b14 = results.locator('[data-row="baseline-14"]');
    await expect(b14.textContent()).resolves.toMatch(/11,140.*94\.29 ± 0\.28.*\d+\.\d\d ± \d+\.\d\d \(n=2\)/);
    await expect(results.textContent()).resolves.toContain('shortened: 3 epochs instead of 300');
  });

  it('stop ends the reproduction interrupted with the tables of what finished', async () => {
    const page = await open({ hash: '#/reproduce', mock: { reproduceStepMs: 200 } });
    await page.getByTestId('reproduce-start').click();
    const progress = page.getByTestId('reproduce-progress');
    await expect.poll(() => progress.getAttribute('data-status')).toBe('running');
    await expect
      .poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 10_000 })
      .toBeGreaterThan(1);
    await page.getByTestId('reproduce-stop').click();
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 5_000 }).toBe('interrupted');
    const results = page.getByTestId('reproduce-results');
    await expect.poll(() => results.getAttribute('data-status'), { timeout: 5_000 }).toBe('interrupted');
    expect(await results.getByTestId('reproduce-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('reproduce-start').isDisabled()).toBe(false);
  });

  it('logs no page errors', () => {
    expect(errors()).toEqual([]);
  });
});
