/**
 * Issue 14 §2, §6 and §7 in a real browser against the real backend (browser mode, real SQLite,
 * real training):
 * - §2 the curves' x axis by epoch / step / images seen / training time (one shared setting), with
 *   tooltips linked across the charts of a view and across runs in Compare, saying the unit;
 * - §7 data-dependent mistakes shown on the field while typing, in plain words, Start disabled;
 * - §6 the number of trainings and the estimated time in the New run, study, sweep and reproduce
 *   forms; the study warns about paper-3d's 300 epochs; a running reproduction shows time left.
 * Screenshots at 1440x900 and 1024x700 go to test-artifacts/e2e/ (curves-*.png, cost-*.png, fit-*.png).
 * Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  chromiumMissing,
  DetailPage,
  ensureRendererBuilt,
  LabServerProcess,
  launchChromium,
  NewRunPage,
  pollNode,
} from './pages';

const missing = chromiumMissing();
const MILESTONE_MS = 120_000;

interface PresetLike {
  name: string;
  config: {
    training: { epochs: number; batchSize: number };
    dataset: { trainSize?: number; testSize?: number };
  };
}

describe.skipIf(!!missing)(
  `curves, costs and live data checks (issue 14 §2, §6, §7)${missing ? ` [skipped: ${missing}]` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'sen-lab-curves-cost-e2e-'));
    let server: LabServerProcess;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    const runs: string[] = [];

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      ensureRendererBuilt((line) => process.stderr.write(`curves-cost.e2e: ${line}\n`));
      server = await LabServerProcess.start(join(dir, 'runs.db'));
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      const presets = await server.call<PresetLike[]>('presets/list');
      const quick = presets.find((p) => p.name === 'quick')!.config;
      // two quick runs: 20 and 40 batches an epoch, so their step axes differ
      for (const batchSize of [100, 50]) {
        const config = structuredClone(quick);
        config.training.epochs = 2;
        config.training.batchSize = batchSize;
        config.dataset.trainSize = 2000;
        config.dataset.testSize = 500;
        runs.push((await server.call<{ id: string }>('runs/start', [config])).id);
      }
      // the second one waits in the lab's queue (not in the store yet): a missing run is not done
      const status = (id: string): Promise<string> =>
        server.call<{ status: string }>('runs/get', [id]).then(
          (r) => r.status,
          () => 'queued',
        );
      await pollNode(
        async () => (await Promise.all(runs.map(status))).every((s) => s === 'completed'),
        'the two quick runs to complete',
        240_000,
      );
    }, 400_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop('SIGKILL', 5_000);
      rmSync(dir, { recursive: true, force: true });
    });

    const charts = (): Locator => page.locator('.panel.curves .chart');

    /** Hovers the middle of the first curves chart; returns the tooltip text shown in each chart. */
    /** the visible tooltip text of each of the first two charts, with the pointer on the first one */
    async function readTooltips(): Promise<string[]> {
      const count = await charts().count();
      const texts: string[] = [];
      for (let i = 0; i < Math.min(count, 2); i++) {
        // ECharts puts its tooltip as a div inside the chart element, shown while the pointer is on an axis
        texts.push(
          (await charts()
            .nth(i)
            .evaluate((el) =>
              [...el.querySelectorAll('div')]
                .filter((d) => d.style.display !== 'none' && d.style.opacity !== '0' && d.innerText.trim())
                .map((d) => d.innerText)
                .join(' '),
            )) as string,
        );
      }
      return texts;
    }

    /**
     * Hovers the middle of the first chart until both charts show a tooltip matching `want` (10 s at most;
     * a loaded machine draws late), then returns the texts for the test to check. The pointer leaves the
     * chart before each try: a move to where it already is sends no event.
     */
    async function hoverTooltips(want: RegExp): Promise<string[]> {
      const deadline = Date.now() + 10_000;
      for (let attempt = 0; ; attempt++) {
        const box = (await charts().first().boundingBox())!;
        await page.mouse.move(5, 5);
        await page.mouse.move(box.x + box.width * (0.55 + 0.01 * (attempt % 3)), box.y + box.height * 0.5, {
          steps: 4,
        });
        const settle = Date.now() + 1_500;
        let texts: string[];
        do {
          await page.waitForTimeout(100);
          texts = await readTooltips();
          if (texts.length === 2 && texts.every((t) => want.test(t))) return texts;
        } while (Date.now() < settle);
        if (Date.now() > deadline) return texts;
      }
    }

    async function chooseAxis(mode: string): Promise<void> {
      await page.getByTestId('curve-x-axis').first().selectOption(mode);
      await pollNode(
        async () => {
          const modes = await charts().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.xAxis));
          return modes.length >= 2 && modes.slice(0, 2).every((m) => m === mode);
        },
        `both charts on the ${mode} axis`,
        10_000,
      );
    }

    it('§2 Run detail: x axis by epoch, step, images seen and time; tooltips linked across Loss and Accuracy', async () => {
      const detail = await new DetailPage(page, server).goto(runs[0]);
      expect(await detail.statusText()).toBe('completed');
      await charts().first().waitFor();
      expect(await page.getByTestId('curve-x-axis').count()).toBe(2); // beside smoothing and log y on both charts
      await chooseAxis('step');
      let tips = await hoverTooltips(/step \d+/);
      console.info(`curves-cost.e2e: step tooltips: ${tips.join(' | ')}`);
      expect(tips).toHaveLength(2);
      for (const t of tips) expect(t).toMatch(/step \d+/); // the same point in both charts (connect)
      await detail.screenshot('curves-detail-step-1440');
      await chooseAxis('samples');
      tips = await hoverTooltips(/[\d,]+ images seen/);
      for (const t of tips) expect(t).toMatch(/[\d,]+ images seen/);
      await chooseAxis('time');
      tips = await hoverTooltips(/training time \d/);
      for (const t of tips) expect(t).toMatch(/training time \d/);
      await detail.screenshot('curves-detail-time-1440');
      // the choice is remembered (a reload keeps it)
      await detail.goto(runs[0]);
      await pollNode(
        async () => (await charts().first().getAttribute('data-x-axis')) === 'time',
        'the time axis after a reload',
        15_000,
      );
      await chooseAxis('epoch');
      tips = await hoverTooltips(/epoch \d/);
      for (const t of tips) expect(t).toMatch(/epoch \d/);
      // linked zoom: the mouse wheel on Loss zooms Accuracy to the same x window
      const zooms = () => charts().evaluateAll((els) => els.slice(0, 2).map((e) => (e as HTMLElement).dataset.zoom));
      expect(await zooms()).toEqual(['0.0-100.0', '0.0-100.0']);
      const box = (await charts().first().boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.mouse.wheel(0, -400);
      const zoomed = await pollNode(
        async () => {
          const [a, b] = await zooms();
          return a !== '0.0-100.0' && a === b ? a : '';
        },
        'both charts zoomed to the same window',
        10_000,
      );
      console.info(`curves-cost.e2e: linked zoom window ${zoomed} (percent of the x axis)`);
      await chooseAxis('step'); // another axis resets the zoom of both
      await pollNode(
        async () => (await zooms()).every((z) => z === '0.0-100.0'),
        'both charts unzoomed on another axis',
        10_000,
      );
      await chooseAxis('epoch');
      await page.setViewportSize({ width: 1024, height: 700 });
      await chooseAxis('step');
      await detail.goto(runs[0]);
      await charts().first().waitFor();
      await page.waitForTimeout(500);
      await detail.screenshot('curves-detail-step-1024');
      await chooseAxis('epoch');
      await page.setViewportSize({ width: 1440, height: 900 });
      expect(problems).toEqual([]);
    }, 180_000);

    it('§2 Compare: each run on its own step axis, one tooltip across both charts', async () => {
      await page.goto(server.route(`/compare?ids=${runs.join(',')}`));
      await page.getByTestId('compare-view').waitFor();
      await charts().first().waitFor();
      await chooseAxis('step');
      const tips = await hoverTooltips(/step \d+/);
      console.info(`curves-cost.e2e: compare step tooltips: ${tips.join(' | ')}`);
      expect(tips).toHaveLength(2);
      for (const t of tips) expect(t).toMatch(/step \d+/);
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(ARTIFACTS, 'curves-compare-step-1440.png') });
      await chooseAxis('epoch');
      expect(problems).toEqual([]);
    }, 120_000);

    it('§2 Live: the chosen axis while a run trains, both charts on the same range', async () => {
      const presets = await server.call<PresetLike[]>('presets/list');
      const config = structuredClone(presets.find((p) => p.name === 'quick')!.config);
      config.training.epochs = 2;
      config.dataset.trainSize = 30_000;
      config.dataset.testSize = 500;
      (config as { kernel?: string }).kernel = 'fused'; // slow enough (~10 s an epoch) to look at it while it runs
      const id = (await server.call<{ id: string }>('runs/start', [config])).id;
      await page.goto(server.route(`/runs/${id}/live`));
      await page.getByTestId('live-view').waitFor();
      await pollNode(
        async () => /stepAccuracy:([3-9]|\d\d+)/.test((await charts().nth(1).getAttribute('data-points')) ?? ''),
        'a few step points',
        MILESTONE_MS,
      );
      await chooseAxis('samples');
      const tips = await hoverTooltips(/[\d,]+ images seen/);
      for (const t of tips) expect(t).toMatch(/[\d,]+ images seen/);
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(ARTIFACTS, 'curves-live-samples-1440.png') });
      await chooseAxis('epoch');
      await server.call('runs/stop', [id, 'now']);
      await pollNode(
        async () => (await server.call<{ status: string }>('runs/get', [id])).status === 'interrupted',
        'the run stopped',
        MILESTONE_MS,
      );
      expect(problems).toEqual([]);
    }, 180_000);

    it('§7 New run: data-dependent mistakes on the field while typing, in plain words; Start disabled', async () => {
      const form = await new NewRunPage(page, server).goto();
      await form.choosePreset('quick');
      await form.fill({ layers: '100,128,10' });
      const layersError = page.getByTestId('error-layers');
      await layersError.waitFor({ timeout: 10_000 });
      expect(await layersError.textContent()).toContain(
        'the first layer must have 784 neurons, one per pixel of MNIST (28x28 images); it has 100',
      );
      expect(await form.startButton.isDisabled()).toBe(true);
      await form.fill({ layers: '784,64,5' });
      await pollNode(
        async () =>
          /the last layer must have at least 10 neurons, one per class of MNIST/.test(
            (await layersError.textContent()) ?? '',
          ),
        'the last-layer message',
        10_000,
      );
      await form.fill({ layers: '784,128,10', trainSize: 70000 });
      const sizeError = page.getByTestId('error-train-size');
      await sizeError.waitFor({ timeout: 10_000 });
      expect(await sizeError.textContent()).toContain(
        'MNIST has 60,000 training images: the training subset can be at most 60,000, not 70,000',
      );
      expect(await layersError.count()).toBe(0);
      expect(await form.startButton.isDisabled()).toBe(true);
      await form.screenshot('fit-new-run-1440');
      await page.setViewportSize({ width: 1024, height: 700 });
      await form.screenshot('fit-new-run-1024');
      await page.setViewportSize({ width: 1440, height: 900 });
      // fixed: the message goes and Start is possible again
      await form.fill({ trainSize: 2000 });
      await pollNode(async () => (await sizeError.count()) === 0, 'the subset message gone', 10_000);
      await pollNode(() => form.startButton.isEnabled(), 'Start enabled again', 30_000);
      expect(problems).toEqual([]);
    }, 120_000);

    it('§6 New run, study, sweep and reproduce show trainings and time here; paper-3d warns about 300 epochs; reproduce shows time left', async () => {
      const estimateText = async (): Promise<string> => (await page.getByTestId('cost-estimate').textContent()) ?? '';
      const waitEstimate = (what: string, pattern: RegExp) =>
        pollNode(async () => pattern.test(await estimateText()), what, MILESTONE_MS);

      // New run: the quick network has recorded runs here
      const form = await new NewRunPage(page, server).goto();
      await form.choosePreset('quick');
      await form.fill({ epochs: 3, trainSize: 2000 });
      await waitEstimate('the New run estimate', /^1 training · estimated ≈ \d/);
      const hover = (await page.getByTestId('cost-estimate').getAttribute('title')) ?? '';
      expect(hover).toMatch(/recorded by earlier runs/);
      await form.screenshot('cost-new-run-1440');

      // study: paper-3d ticked means 300 epochs per training, said before Start; then shortened
      await page.goto(server.route('/studies?new=1'));
      await page.getByTestId('study-form').waitFor();
      await page.getByTestId('study-preset-paper-3d').check();
      const warning = page.getByTestId('study-long-warning');
      await warning.waitFor({ timeout: 10_000 });
      expect(await warning.textContent()).toMatch(/paper-3d means 300 epochs per training/);
      await page.screenshot({ path: join(ARTIFACTS, 'cost-study-paper3d-warning-1440.png') });
      await page.getByTestId('study-epochs').fill('1');
      await page.getByTestId('study-train-size').fill('2000');
      await pollNode(async () => (await warning.count()) === 0, 'the warning gone with Epochs set', 10_000);
      await waitEstimate('the study estimate', /\d+ trainings? · estimated ≈ \d/);
      await page.screenshot({ path: join(ARTIFACTS, 'cost-study-1440.png') });

      // sweep: after Plan
      await page.goto(server.route('/sweeps'));
      await page.getByTestId('sweep-form').waitFor();
      await page
        .getByTestId('sweep-set')
        .fill('model.layers = [784,128,10]\ntraining.epochs = 1\ndataset.trainSize = 2000\ndataset.testSize = 500');
      await page.getByTestId('sweep-plan').click();
      await waitEstimate('the sweep estimate', /\d+ trainings · estimated ≈ \d/);
      await page.screenshot({ path: join(ARTIFACTS, 'cost-sweep-1440.png') });

      // reproduce: table 1 only, shortened; the estimate before Start, then the time left while it runs
      await page.goto(server.route('/reproduce'));
      await page.getByTestId('reproduce-view').waitFor();
      for (const x of ['dims', 'snn', 'pruning']) await page.getByTestId(`reproduce-exp-${x}`).uncheck();
      await page.getByTestId('reproduce-train-size').fill('200');
      await page.getByTestId('reproduce-test-size').fill('100');
      await waitEstimate('the reproduce estimate', /\d+ trainings · estimated ≈ \d/);
      console.info(`curves-cost.e2e: reproduce estimate: ${await estimateText()}`);
      await page.screenshot({ path: join(ARTIFACTS, 'cost-reproduce-1440.png') });
      await page.getByTestId('reproduce-start').click();
      const eta = page.getByTestId('reproduce-eta');
      await eta.waitFor({ timeout: MILESTONE_MS });
      expect(await eta.textContent()).toMatch(/≈ .+ left/);
      console.info(`curves-cost.e2e: reproduce ETA: ${(await eta.textContent())?.replace(/\s+/g, ' ')}`);
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: join(ARTIFACTS, 'cost-reproduce-running-1024.png') });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.getByTestId('reproduce-stop').click();
      await pollNode(
        async () => (await page.getByTestId('reproduce-progress').getAttribute('data-status')) !== 'running',
        'the reproduction stopped',
        MILESTONE_MS,
      );
      expect(problems).toEqual([]);
    }, 420_000);
  },
);
