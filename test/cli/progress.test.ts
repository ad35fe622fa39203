/** The CLI's live progress line (src/core/cli/progress.ts): ETA, the bar's text, drawing only on a TTY. */
import { describe, expect, it } from 'vitest';
import { etaMs, ProgressLine, renderProgress, type ProgressInfo } from '../../src/core/cli/progress';
import type { OutStream } from '../../src/core/cli/context';

const info = (over: Partial<ProgressInfo> = {}): ProgressInfo => ({
  epoch: 1,
  epochs: 2,
  batch: 10,
  batchesPerEpoch: 40,
  loss: 0.51234,
  samplesPerSec: 12345.6,
  elapsedMs: 1000,
  ...over,
});

function stream(isTTY: boolean, columns = 100): OutStream & { text: string } {
  const out = { text: '', isTTY, columns, write: (s: string) => ((out.text += s), true) };
  return out as unknown as OutStream & { text: string };
}

describe('progress', () => {
  it('estimates the time left from this epoch pace over every remaining batch', () => {
    // 100 ms per batch; 30 batches left in epoch 1 and 40 in epoch 2
    expect(etaMs(info())).toBe(7000);
    expect(etaMs(info({ epoch: 2, batch: 40 }))).toBe(0);
    expect(etaMs(info({ batch: 0 }))).toBeNaN();
  });

  it('renders epoch, bar, batch, loss, speed and ETA', () => {
    const text = renderProgress(info(), 100);
    expect(text).toMatch(/^epoch 1\/2 \[#+-+\] 10\/40 {2}loss 0\.5123 {2}12,346 samples\/s {2}ETA 7\.0s$/);
    const bar = /\[(#*)(-*)\]/.exec(text)!;
    expect(bar[1].length / (bar[1].length + bar[2].length)).toBeCloseTo(0.25, 1);
    expect(text.length).toBeLessThanOrEqual(100);
  });

  it('drops the bar on a narrow terminal and stays within its width', () => {
    const text = renderProgress(info(), 50);
    expect(text).not.toContain('[');
    expect(text.length).toBeLessThanOrEqual(49);
    expect(renderProgress(info({ batch: 0 }), 100)).toContain('ETA -');
  });

  it('draws and clears in place on a TTY, and writes nothing elsewhere', () => {
    const tty = stream(true, 120);
    const line = new ProgressLine(tty);
    line.clear(); // nothing shown yet: nothing to clear
    expect(tty.text).toBe('');
    line.update(info());
    expect(tty.text.startsWith('\r\x1b[Kepoch 1/2')).toBe(true);
    line.clear();
    expect(tty.text.endsWith('\r\x1b[K')).toBe(true);
    const pipe = stream(false);
    const quiet = new ProgressLine(pipe);
    quiet.update(info());
    quiet.clear();
    expect(quiet.enabled).toBe(false);
    expect(pipe.text).toBe('');
  });
});
