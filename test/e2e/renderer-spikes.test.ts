/**
 * End-to-end tests of the spiking views in headless Chromium against the mock LabApi: the Spikes
 * tab of a spiking run (raster, firing rates, spikes played over the embedding, membrane
 * potentials) and the New run form's Spiking (LIF) section. Screenshots go to
 * test-artifacts/views/spikes-*.png. Skipped without /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SPIKING_RUN_IDS } from './fixtures/mock-spikes';
import { CHROMIUM, useMockLabPage } from './harness';

const scratch = join(import.meta.dirname, '../../test-artifacts/renderer-spikes-build');
const shots = join(import.meta.dirname, '../../test-artifacts/views');
const missing = existsSync(CHROMIUM) ? '' : ` [skipped: ${CHROMIUM} not installed]`;

describe.skipIf(missing !== '')(`spiking views against the mock lab${missing}`, () => {
  const { open, errors } = useMockLabPage({ scratch, mkdirs: [shots], defaults: { width: 1440, height: 1000 } });

  const settled = (page: Page) =>
    page.locator('[data-testid=embedding-view][data-state=ready][data-busy=false]').waitFor({ timeout: 30_000 });
  const dots = async (page: Page, layer: number) =>
    Number(await page.locator(`[data-testid=spike-raster][data-layer="${layer}"]`).getAttribute('data-dots'));

  it('the Spikes tab shows rasters, rates, the label and prediction, and steps the embedding', async () => {
    const page = await open({ hash: `#/runs/${SPIKING_RUN_IDS.quick}` });
    await page.getByTestId('tab-spikes').click();
    expect(page.url()).toContain('tab=spikes');
    await page.getByTestId('spike-raster').first().waitFor();
    expect(await page.getByTestId('spike-raster').count()).toBe(2); // hidden 128, output 10
    await expect.poll(() => dots(page, 1)).toBeGreaterThan(20);
    await expect.poll(() => dots(page, 2)).toBeGreaterThan(0);
    expect(await page.getByTestId('spike-label').textContent()).toContain('label 7');
    expect(await page.getByTestId('spike-prediction').textContent()).toContain('prediction 7');
    const rates = await page
      .getByTestId('spike-rate')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rate'))));
    expect(rates).toHaveLength(2);
    for (const r of rates) expect(r).toBeGreaterThan(0);

    // stepping the slider recolours the neurons: a different picture of the embedding
    await settled(page);
    await page.getByTestId('spike-step').fill('0');
    await settled(page);
    const canvas = page.getByTestId('embedding-view').locator('canvas').first();
    const before = await canvas.screenshot();
    const activeBefore = await page.getByTestId('spike-active').getAttribute('data-active');
    await page.getByTestId('spike-step').fill('6');
    await expect.poll(() => page.getByTestId('spike-step-label').textContent()).toContain('t = 6 / 9');
    await settled(page);
    await expect.poll(async () => (await canvas.screenshot()).equals(before)).toBe(false);
    expect(await page.getByTestId('spike-active').getAttribute('data-active')).not.toBe(activeBefore);
    await page.screenshot({ path: join(shots, 'spikes-tab.png'), fullPage: true });

    // play runs to the last step and stops
    await page.getByTestId('spike-step').fill('7');
    await page.getByTestId('spike-play').click();
    await expect
      .poll(() => page.getByTestId('spike-step-label').textContent(), { timeout: 5000 })
      .toContain('t = 9 / 9');
    await expect.poll(() => page.getByTestId('spike-play').textContent()).toContain('Play');

    // the next image loads new spikes
    const first = await dots(page, 1);
    await page.getByTestId('spike-next').click();
    await expect.poll(() => page.getByTestId('spike-label').textContent()).toContain('label 2');
    await expect.poll(() => dots(page, 1)).not.toBe(first);
    await page.getByTestId('spike-test-index').fill('8');
    await page.getByTestId('spike-test-index').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('spike-prediction').getAttribute('class')).toContain('wrong');
  });

  it('the membrane chart follows the picked neurons', async () => {
    const page = await open({ hash: `#/runs/${SPIKING_RUN_IDS.quick}?tab=spikes` });
    const chart = page.getByTestId('membrane-chart');
    await chart.waitFor();
    await expect.poll(() => chart.getAttribute('data-traces')).toBe('3'); // the 3 most active hidden neurons
    expect(await page.getByTestId('selected-neuron').count()).toBe(3);

    // click a raster row (the output layer: 10 rows, the middle of row 7)
    const out = page.locator('[data-testid=spike-raster][data-layer="2"] canvas');
    const box = (await out.boundingBox())!;
    await out.click({ position: { x: box.width / 2, y: (box.height * 7.5) / 10 } });
    await expect.poll(() => chart.getAttribute('data-traces')).toBe('4');
    expect(await page.getByTestId('selected-neuron').last().textContent()).toContain('output 7');

    // pick by index, and reject one out of range
    await page.getByTestId('neuron-pick-index').fill('5');
    await page.getByTestId('neuron-pick-add').click();
    await expect.poll(() => chart.getAttribute('data-traces')).toBe('5');
    await page.getByTestId('neuron-pick-index').fill('500');
    await page.getByTestId('neuron-pick-add').click();
    await page.getByText('an index from 0 to 127').waitFor();
    await page.getByTestId('selected-neuron').first().click();
    await expect.poll(() => chart.getAttribute('data-traces')).toBe('4');
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: join(shots, 'spikes-membrane.png') });
  });

  it('draws a 2048-neuron raster on a canvas', async () => {
    const page = await open({ hash: `#/runs/${SPIKING_RUN_IDS.paper}?tab=spikes` });
    await page.locator('[data-testid=spike-raster][data-layer="1"]').waitFor();
    await expect.poll(() => dots(page, 1)).toBeGreaterThan(1000);
    await settled(page);
    await page.screenshot({ path: join(shots, 'spikes-tab-2048.png'), fullPage: true });
  });

  it('non-spiking runs have no Spikes tab', async () => {
    const page = await open({ hash: '#/runs/run0001' });
    await page.getByTestId('tab-pruning').waitFor();
    expect(await page.getByTestId('tab-spikes').count()).toBe(0);
  });

  it('New run with snn-quick shows the Spiking (LIF) section filled in', async () => {
    const page = await open({ hash: '#/new' });
    await page.getByTestId('param-count').filter({ hasText: /\d/ }).waitFor();
    expect(await page.getByTestId('field-spiking').isChecked()).toBe(false);
    await page.getByTestId('preset-select').selectOption('snn-quick');
    expect(await page.getByTestId('field-spiking').isChecked()).toBe(true);
    expect(await page.getByTestId('field-time-steps').inputValue()).toBe('10');
    expect(await page.getByTestId('field-beta').inputValue()).toBe('0.95');
    expect(await page.getByTestId('field-threshold').inputValue()).toBe('1');
    expect(await page.getByTestId('field-reset').inputValue()).toBe('subtract');
    expect(await page.getByTestId('field-surrogate').inputValue()).toBe('atan');
    expect(await page.getByTestId('field-surrogate-slope').inputValue()).toBe('2');
    expect(await page.getByTestId('field-encoding').inputValue()).toBe('direct');
    expect(await page.getByTestId('field-decoding').inputValue()).toBe('membrane-sum');
    expect(await page.getByTestId('field-learn-beta').isChecked()).toBe(false);
    expect(await page.getByTestId('field-learn-threshold').isChecked()).toBe(false);
    await page.screenshot({ path: join(shots, 'spikes-new-run.png'), fullPage: true });

    // a default slope follows the surrogate; a client-side check; the server's message lands on its field
    await page.getByTestId('field-surrogate').selectOption('fast-sigmoid');
    expect(await page.getByTestId('field-surrogate-slope').inputValue()).toBe('25');
    await page.getByTestId('field-time-steps').fill('0');
    await expect(page.getByTestId('error-time-steps').textContent()).resolves.toContain('1 to 1000');
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
    await page.getByTestId('field-time-steps').fill('12');
    await page.getByTestId('field-learn-beta').check();
    await expect.poll(() => page.getByTestId('preset-select').locator('..').textContent()).toContain('modified');
    await page.getByTestId('field-spiking').uncheck();
    expect(await page.getByTestId('field-time-steps').count()).toBe(0);
  });

  it('no page errors', () => {
    expect(errors()).toEqual([]);
  });
});
