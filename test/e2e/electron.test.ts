/**
 * End-to-end smoke test of the desktop app: launches the built app (out/, built on demand) with
 * Playwright's Electron driver. Skipped, with the reason in its name, when the Electron binary
 * is not installed (node_modules/electron/dist is downloaded by electron's postinstall).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/core/model/presets';
import { LAB_METHODS } from '../../src/shared/lab-api';

const root = join(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));

function findElectron(): { path: string } | { reason: string } {
  try {
    const path: unknown = require('electron');
    if (typeof path !== 'string') return { reason: 'electron package returned no path' };
    return existsSync(path) ? { path } : { reason: `${path} does not exist` };
  } catch (err) {
    return { reason: `require('electron') failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

const electron = findElectron();
const skipReason = 'reason' in electron ? `skipped: Electron binary not installed (${electron.reason})` : '';

function ensureBuilt(): void {
  if (existsSync(join(root, 'out/main/index.js'))) return;
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  execFileSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
}

describe('electron app', () => {
  let app: ElectronApplication | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it.skipIf('reason' in electron)(
    `opens "SEN Lab" and lists the presets over IPC${skipReason ? ` [${skipReason}]` : ''}`,
    async () => {
      if (!('path' in electron)) return;
      ensureBuilt();
      // Chromium refuses to run as root without --no-sandbox (containers / CI).
      const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), 'out/main/index.js'];
      app = await _electron.launch({ executablePath: electron.path, args, cwd: root });
      const win = await app.firstWindow();

      await win.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/new'));
      await win
        .locator('[data-testid=preset-select] option')
        .nth(PRESETS.length - 1)
        .waitFor({ state: 'attached' });
      expect(await win.title()).toBe('SEN Lab');
      const values = await win
        .locator('[data-testid=preset-select] option')
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      expect(values.filter((v) => v !== '')).toEqual(PRESETS.map((p) => p.name));
      expect(await win.locator('[data-testid=version]').textContent()).toContain('Electron');

      // The bridge exposes the contract only: no Node, no raw ipcRenderer.
      const exposed = await win.evaluate(() => {
        const g = globalThis as unknown as Record<string, unknown>;
        return {
          require: typeof g['require'],
          process: typeof g['process'],
          lab: Object.keys(g['lab'] as object).sort(),
        };
      });
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', lab: [...LAB_METHODS, 'on'].sort() });
    },
  );
});
