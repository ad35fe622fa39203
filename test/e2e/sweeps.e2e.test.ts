/**
 * A small local sweep started from the Sweeps view against the REAL backend in browser mode, in
 * Debian's Chromium with the built renderer: fill the form (784-16-10, 1 epoch on 300 images, a
 * 2-value learning-rate grid x 2 seeds) -> Plan shows 4 trainings and an estimate -> Start -> the
 * trainings table fills to 4 x 'done' with run links, the sweep row reads 'completed'.
 * Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumMissing, ensureRendererBuilt, LabServerProcess, launchChromium, pollNode } from './pages';

const missing = chromiumMissing();

describe.skipIf(!!missing)(
  `Sweeps view: real backend in browser mode, built renderer in Chromium${missing ? ` [skipped: ${missing}]` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sen-lab-sweeps-e2e-'));
    let server: LabServerProcess;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      ensureRendererBuilt((line) => process.stderr.write(`sweeps.e2e: ${line}\n`));
      server = await LabServerProcess.start(join(dir, 'runs.db'));
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop('SIGKILL', 5_000);
      rmSync(dir, { recursive: true, force: true });
    });

    it('plans, starts and follows a 4-training local sweep', async () => {
      await page.goto(server.route('/sweeps'));
      await page.getByTestId('sweep-form').waitFor();
      await page
        .getByTestId('sweep-set')
        .fill('model.layers = [784,16,10]\ntraining.epochs = 1\ndataset.trainSize = 300\ndataset.testSize = 100');
      await page.getByTestId('sweep-plan').click();
      await page.getByTestId('sweep-estimate').waitFor();
      expect(await page.getByTestId('sweep-estimate').textContent()).toMatch(/^4 trainings, about/);
      await page.getByTestId('sweep-start').click();
      await page.getByTestId('sweep-detail').waitFor();
      const rows = page.getByTestId('sweep-training');
      await pollNode(
        async () =>
          (await rows.count()) === 4 &&
          (await page.locator('[data-testid="sweep-training"][data-state="done"]').count()) === 4,
        '4 trainings done',
        120_000,
      );
      expect(await page.locator('[data-testid="sweep-training"] a').count()).toBe(4);
      await pollNode(
        async () => (await page.locator('[data-testid="sweep-row"][data-status="completed"]').count()) === 1,
        'the sweep completed',
        10_000,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'sweeps-view.png') });
      expect(problems).toEqual([]);
    });
  },
);
