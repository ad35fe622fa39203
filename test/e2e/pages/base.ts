/** What every page object shares: the page, where the app is served, screenshots, the embedding panel. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { pollNode, ROOT } from './lab-app';

export const ARTIFACTS = join(ROOT, 'test-artifacts/e2e');

/** Where the app is served (a LabServerProcess); `route('/runs')` is the URL of a hash route. */
export interface AppLocation {
  route(path: string): string;
}

export abstract class LabPage {
  constructor(
    readonly page: Page,
    protected readonly app: AppLocation,
  ) {}

  protected byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens a hash route (full load, so the page reads its token and state afresh). */
  protected async open(path: string): Promise<void> {
    const url = this.app.route(path);
    const sameDocument = this.page.url().split('#')[0] === url.split('#')[0];
    await this.page.goto(url);
    if (sameDocument) await this.page.reload(); // a hash-only change keeps the old document
  }

  /** A screenshot of the window (navigation and status bar included) as test-artifacts/e2e/<name>.png. */
  async screenshot(name: string): Promise<Buffer> {
    return keep(name, await this.page.screenshot());
  }

  /**
   * A screenshot of the whole view: views scroll inside the app's main area (a window or even a
   * full-page screenshot shows only their top), so the window is made as tall as the view for it.
   */
  async screenshotWhole(name: string): Promise<Buffer> {
    const size = this.page.viewportSize() ?? { width: 1440, height: 960 };
    const extra = (await this.page.evaluate(
      "(() => { const m = document.querySelector('main'); return m ? m.scrollHeight - m.clientHeight : 0; })()",
    )) as number;
    if (extra <= 0) return this.screenshot(name);
    await this.page.setViewportSize({ width: size.width, height: size.height + extra });
    try {
      // let charts and plots follow the resize (ResizeObserver, then their next frames)
      await this.page.evaluate(
        'new Promise((r) => setTimeout(() => requestAnimationFrame(() => setTimeout(r, 0)), 500))',
      );
      return keep(name, await this.page.screenshot());
    } finally {
      await this.page.setViewportSize(size);
    }
  }
}

function keep(name: string, png: Buffer): Buffer {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.png`), png);
  return png;
}

/** The pixi.js embedding plot (EmbeddingView.vue): data-state, data-busy, data-frames. */
export class EmbeddingPanel {
  readonly root: Locator;

  constructor(scope: Locator | Page) {
    this.root = scope.locator('[data-testid=embedding-view]').first();
  }

  /** Waits for the first complete frame (data-state="ready"); fails at once on data-state="error". */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const state = await pollNode(
      async () => {
        const s = await this.root.getAttribute('data-state', { timeout: timeoutMs });
        return s === 'ready' || s === 'error' ? s : '';
      },
      'the embedding view to be ready',
      timeoutMs,
    );
    if (state === 'error') throw new Error(`the embedding view failed: ${await this.root.innerText()}`);
  }

  async frames(): Promise<number> {
    return Number(await this.root.getAttribute('data-frames'));
  }

  /** Waits until a frame after `after` is on screen with no update in flight; returns its number. */
  async waitForFrameAfter(after: number, timeoutMs = 60_000): Promise<number> {
    return pollNode(
      async () => {
        const [frames, busy] = await Promise.all([this.frames(), this.root.getAttribute('data-busy')]);
        return frames > after && busy === 'false' ? frames : 0;
      },
      `an embedding frame after #${after}`,
      timeoutMs,
    );
  }

  /** Screenshot of the canvas area only (no toolbar), optionally kept as test-artifacts/e2e/<name>.png. */
  async canvasShot(name?: string): Promise<Buffer> {
    const png = await this.root.locator('.canvas-host').screenshot();
    return name ? keep(name, png) : png;
  }
}
