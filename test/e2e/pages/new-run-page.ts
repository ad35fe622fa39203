/** New run (`#/new`, NewRunView.vue): preset, the fields the flows set, parameter count, start. */
import { LabPage } from './base';
import { pollNode } from './lab-app';

export interface RunFields {
  layers?: string;
  epochs?: number;
  trainSize?: number;
  testSize?: number;
  batchSize?: number;
  name?: string;
}

export class NewRunPage extends LabPage {
  readonly presetSelect = this.byTestId('preset-select');
  readonly startButton = this.byTestId('start-run');
  readonly paramCount = this.byTestId('param-count');

  /** Opens the form and waits until the presets are loaded (the select is enabled). */
  async goto(): Promise<this> {
    await this.open('/new');
    await pollNode(() => this.presetSelect.isEnabled(), 'the preset list to load', 30_000);
    return this;
  }

  async choosePreset(name: string): Promise<void> {
    await this.presetSelect.selectOption(name);
  }

  async fill(f: RunFields): Promise<void> {
    const set: [string, string | number | undefined][] = [
      ['field-layers', f.layers],
      ['field-epochs', f.epochs],
      ['field-train-size', f.trainSize],
      ['field-test-size', f.testSize],
      ['field-batch-size', f.batchSize],
      ['field-name', f.name],
    ];
    for (const [id, value] of set) if (value !== undefined) await this.byTestId(id).fill(String(value));
  }

  /** Waits for the server's parameter count of the current form (the debounced checkConfig). */
  async waitForParams(expected: string, timeoutMs = 30_000): Promise<string> {
    return pollNode(
      async () => {
        const text = ((await this.paramCount.textContent()) ?? '').trim();
        const stale = (await this.paramCount.getAttribute('class'))?.includes('stale');
        return !stale && text === expected ? text : '';
      },
      `parameter count ${expected}`,
      timeoutMs,
    );
  }

  /** Presses Start and resolves with the new run's id once the app shows its live view. */
  async start(timeoutMs = 60_000): Promise<string> {
    await pollNode(() => this.startButton.isEnabled(), 'the Start button to be enabled', 30_000);
    await this.startButton.click();
    const id = await pollNode(
      async () => /#\/runs\/([^/?]+)\/live/.exec(this.page.url())?.[1] ?? '',
      'the live view of the new run',
      timeoutMs,
    );
    return id;
  }
}
