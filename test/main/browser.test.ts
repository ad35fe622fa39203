/**
 * The renderer's HTTP host in a real browser: Debian's chromium (through playwright-core) opens
 * the printed URL, calls the API with the token from the URL and receives events over
 * EventSource. Skipped when chromium is missing or out/renderer predates src/renderer/src/host.ts
 * (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, tinyConfig } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const INDEX = join(ROOT, 'out/renderer/index.html');
const HOST_TS = join(ROOT, 'src/renderer/src/host.ts');

function skipReason(): string {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not installed`;
  if (!existsSync(INDEX)) return 'out/renderer not built (npm run build)';
  if (statSync(INDEX).mtimeMs < statSync(HOST_TS).mtimeMs) return 'out/renderer older than host.ts (npm run build)';
  return '';
}
const reason = skipReason();

const tmp = tempDir('sen-lab-browser-');
let child: ChildProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGKILL');
  tmp.cleanup();
});

describe('browser mode in chromium', () => {
  it.skipIf(reason !== '')(
    `loads the app, calls the API and follows a run over SSE${reason ? ` [skipped: ${reason}]` : ''}`,
    async () => {
      child = spawn(process.execPath, [join(ROOT, 'bin/serve.mjs'), '--port', '0', '--db', tmp.db], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const url = await new Promise<string>((done) =>
        child!.stdout!.once('data', (d: Buffer) => done(String(d).trim().split(': ')[1])),
      );
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);

      const bar = page.locator('[data-testid=status-bar]');
      await bar.locator('text=browser mode').waitFor({ timeout: 20_000 });
      expect(await bar.innerText()).toContain(tmp.db);

      const api = (channel: string, args: unknown[]): Promise<{ result: { id: string } }> =>
        fetch(new URL(`/api/${channel}`, url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lab-token': new URL(url).searchParams.get('token')! },
          body: JSON.stringify({ args }),
        }).then((r) => r.json() as Promise<{ result: { id: string } }>);
      const { result } = await api('runs/start', [tinyConfig({ epochs: 100 })]);
      // the status bar refreshes on 'run/status', which only arrives through the page's EventSource
      await page.locator('[data-testid=status-active]').locator(`text=${result.id}`).waitFor({ timeout: 20_000 });
      await api('runs/stop', [result.id]);
      await page.locator('[data-testid=status-active]').locator('text=no active runs').waitFor({ timeout: 20_000 });
      expect(errors).toEqual([]);
    },
  );
});
