/** History (`#/runs`, HistoryView.vue): the run table, selection, compare, delete with confirmation. */
import type { Locator } from 'playwright-core';
import { LabPage } from './base';
import { pollNode } from './lab-app';

export class HistoryPage extends LabPage {
  readonly count = this.byTestId('history-count');
  readonly search = this.byTestId('history-search');
  readonly rows = this.byTestId('history-row');
  readonly compareButton = this.byTestId('compare-selected');

  /** Opens History and waits until the table (or its empty state) is there. */
  async goto(): Promise<this> {
    await this.open('/runs');
    await this.waitLoaded();
    return this;
  }

  async waitLoaded(timeoutMs = 30_000): Promise<void> {
    await pollNode(
      async () => (await this.count.count()) > 0 && /\d+ runs?\b/.test((await this.count.textContent()) ?? ''),
      'the history count',
      timeoutMs,
    );
  }

  async countText(): Promise<string> {
    return ((await this.count.textContent()) ?? '').trim();
  }

  row(runId: string): Locator {
    return this.page.locator(`[data-testid=history-row][data-run-id="${runId}"]`);
  }

  /** Run ids of the rows in the DOM, top to bottom (the table is windowed above 120 runs). */
  async rowIds(): Promise<string[]> {
    return (await this.rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''))).filter(Boolean);
  }

  async statusOf(runId: string): Promise<string> {
    return ((await this.row(runId).locator('.badge').textContent()) ?? '').trim();
  }

  async select(runId: string): Promise<void> {
    await this.row(runId).getByTestId('row-select').check();
  }

  async compareSelected(): Promise<void> {
    await this.compareButton.click();
  }

  /** Presses the row's delete button and confirms in the dialog; waits until the row is gone. */
  async deleteRun(runId: string): Promise<void> {
    await this.row(runId).getByTestId('row-delete').click();
    const confirm = this.byTestId('confirm-delete');
    await confirm.waitFor({ state: 'visible' });
    await confirm.click();
    await this.row(runId).waitFor({ state: 'detached' });
  }

  /** The open confirmation dialog (for a screenshot), after pressing a row's delete button. */
  async askDelete(runId: string): Promise<Locator> {
    await this.row(runId).getByTestId('row-delete').click();
    const confirm = this.byTestId('confirm-delete');
    await confirm.waitFor({ state: 'visible' });
    return confirm;
  }
}
