/** Compare (`#/compare?ids=…`, CompareView.vue): the runs shown and the config diff. */
import { LabPage } from './base';
import { pollNode } from './lab-app';

export interface DiffRowData {
  key: string;
  differs: boolean;
  values: string[];
}

export class ComparePage extends LabPage {
  readonly root = this.byTestId('compare-view');
  readonly runChips = this.byTestId('compare-run');
  readonly diffTable = this.byTestId('config-diff');
  readonly diffRows = this.byTestId('diff-row');

  /** Waits until the diff table lists `runs` runs (one column each). */
  async waitLoaded(runs: number, timeoutMs = 30_000): Promise<void> {
    await this.root.waitFor({ timeout: timeoutMs });
    await pollNode(
      async () => (await this.diffTable.count()) > 0 && (await this.diffTable.locator('thead th').count()) === runs + 1,
      `a diff of ${runs} runs`,
      timeoutMs,
    );
  }

  async runIds(): Promise<string[]> {
    const query = this.page.url().split('#')[1]?.split('?')[1] ?? '';
    return (new URLSearchParams(query).get('ids') ?? '').split(',').filter(Boolean);
  }

  async rows(): Promise<DiffRowData[]> {
    return this.diffRows.evaluateAll((els) =>
      els.map((tr) => ({
        key: tr.querySelector('th')?.textContent?.trim() ?? '',
        differs: tr.getAttribute('data-differs') === 'true',
        values: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
      })),
    );
  }

  /** Whether a diff row is highlighted (the `differs` class the stylesheet colours). */
  async highlighted(key: string): Promise<boolean> {
    const row = this.diffRows.filter({
      has: this.page.locator('th', { hasText: new RegExp(`^${key.replace(/\./g, '\\.')}$`) }),
    });
    return (await row.getAttribute('class'))?.split(/\s+/).includes('differs') ?? false;
  }
}
