/** Run detail (`#/runs/:id`, RunDetailView.vue): status, metrics, snapshot scrubber, resume. */
import { EmbeddingPanel, LabPage } from './base';
import { pollNode } from './lab-app';

export class DetailPage extends LabPage {
  readonly root = this.byTestId('run-detail');
  readonly status = this.root.getByTestId('status-badge').first();
  readonly scrubber = this.byTestId('scrubber-range');
  readonly scrubberEpoch = this.byTestId('scrubber-epoch');
  readonly resumeButton = this.byTestId('detail-resume');
  readonly embedding = new EmbeddingPanel(this.root);

  async goto(runId: string): Promise<this> {
    await this.open(`/runs/${runId}`);
    await pollNode(async () => (await this.status.count()) > 0, 'the run detail to load', 30_000);
    return this;
  }

  async statusText(): Promise<string> {
    return ((await this.status.textContent()) ?? '').trim();
  }

  /** The scrubber's range (one step per stored snapshot) once the snapshot list is loaded. */
  async scrubberRange(): Promise<{ value: number; max: number }> {
    const [value, max] = await Promise.all([this.scrubber.inputValue(), this.scrubber.getAttribute('max')]);
    return { value: Number(value), max: Number(max) };
  }

  /** Moves the scrubber to snapshot `index` (as dragging it would: sets the value, fires input). */
  async scrubTo(index: number): Promise<void> {
    await this.scrubber.fill(String(index));
  }

  async resume(): Promise<void> {
    await this.resumeButton.click();
  }
}
