/**
 * A one-line live progress bar for training, redrawn in place on a TTY (carriage return + clear line).
 * On a non-TTY stream it draws nothing, so logs stay clean.
 */
import type { BatchProgress } from '../train/types';
import type { OutStream } from './context';
import { duration, thousands } from './format';

export interface ProgressInfo extends BatchProgress {
  /** epochs planned for the run */
  epochs: number;
}

/** Estimated time left: this epoch's pace applied to every remaining batch (evaluation not included). */
export function etaMs(p: ProgressInfo): number {
  if (p.batch <= 0) return NaN;
  const perBatch = p.elapsedMs / p.batch;
  const remaining = p.batchesPerEpoch - p.batch + (p.epochs - p.epoch) * p.batchesPerEpoch;
  return perBatch * remaining;
}

/** The bar's text for a given width (no control characters). */
export function renderProgress(p: ProgressInfo, width = 100): string {
  const head = `epoch ${p.epoch}/${p.epochs}`;
  const tail =
    ` ${p.batch}/${p.batchesPerEpoch}  loss ${p.loss.toFixed(4)}` +
    `  ${thousands(p.samplesPerSec)} samples/s  ETA ${duration(etaMs(p))}`;
  const barWidth = Math.max(0, Math.min(30, width - head.length - tail.length - 4));
  if (barWidth < 5) return `${head}${tail}`.slice(0, Math.max(10, width - 1));
  const filled = Math.round((p.batch / Math.max(1, p.batchesPerEpoch)) * barWidth);
  return `${head} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`;
}

/** Draws and clears the live line on `out`. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly out: OutStream) {}

  get enabled(): boolean {
    return Boolean(this.out.isTTY);
  }

  update(p: ProgressInfo): void {
    if (!this.enabled) return;
    this.out.write(`\r\x1b[K${renderProgress(p, this.out.columns || 100)}`);
    this.shown = true;
  }

  /** Remove the line (call before printing anything else). */
  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
