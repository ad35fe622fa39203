/** Live run (`#/runs/:id/live`, LiveRunPanel.vue): status, epoch counter, curves, embedding, stop/resume. */
import type { Locator } from 'playwright-core';
import { EmbeddingPanel, LabPage } from './base';
import { pollNode } from './lab-app';

/** statuses a run does not leave by itself (an interrupted run can be resumed, so it is not one) */
const ENDED = new Set(['completed', 'failed']);

export class LivePage extends LabPage {
  readonly root = this.byTestId('live-view');
  readonly status = this.byTestId('live-status');
  readonly epochText = this.byTestId('live-epoch');
  readonly stopButton = this.byTestId('stop-run');
  readonly resumeButton = this.byTestId('resume-run');
  readonly snapshotLabel = this.byTestId('snapshot-label');
  readonly embedding = new EmbeddingPanel(this.root);

  async goto(runId: string): Promise<this> {
    await this.open(`/runs/${runId}/live`);
    await this.root.waitFor();
    return this;
  }

  async runId(): Promise<string> {
    return (await this.root.getAttribute('data-run-id')) ?? '';
  }

  async statusText(): Promise<string> {
    return (await this.status.count()) ? ((await this.status.textContent()) ?? '').trim() : '';
  }

  /**
   * Waits for `status`. Waiting for a stop to take effect ("interrupted"), a run that ended otherwise
   * (completed or failed: it finished before the stop reached it) fails at once, naming what happened.
   */
  async waitForStatus(status: string, timeoutMs = 60_000): Promise<void> {
    await pollNode(
      async () => {
        const now = await this.statusText();
        if (status === 'interrupted' && ENDED.has(now))
          throw new Error(`waiting for live status "${status}", the run ended "${now}"`);
        return now === status;
      },
      `live status "${status}"`,
      timeoutMs,
    );
  }

  /** The epoch counter "N / M": N is the epoch in training (or the last finished one), M the planned. */
  async epoch(): Promise<{ current: number; planned: number }> {
    const m = /(\d+)\s*\/\s*(\d+|—)/.exec((await this.epochText.textContent()) ?? '');
    return { current: Number(m?.[1] ?? NaN), planned: Number(m?.[2]) };
  }

  /** Waits until the epoch counter reaches at least `epoch`. */
  async waitForEpoch(epoch: number, timeoutMs = 60_000): Promise<number> {
    return pollNode(
      async () => {
        const { current } = await this.epoch();
        return current >= epoch ? current : 0;
      },
      `epoch ${epoch}`,
      timeoutMs,
    );
  }

  /** The loss (0) or accuracy (1) chart panel. */
  chart(index: 0 | 1): Locator {
    return this.root.locator('.curves').nth(index);
  }

  async chartShot(index: 0 | 1): Promise<Buffer> {
    return this.chart(index).locator('canvas').first().screenshot();
  }

  async stop(): Promise<void> {
    await this.stopButton.click();
  }

  async resume(): Promise<void> {
    await this.resumeButton.click();
  }
}
