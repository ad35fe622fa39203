/** Progress of a sweep as the driver sees it (for the CLI's lines and the app's live view). */
import type { SweepTrainingState } from '../../shared/sweep';

export interface SweepEvents {
  training(index: number, state: SweepTrainingState, message?: string): void;
  message(text: string): void;
}

/** Events that go nowhere. */
export const NO_EVENTS: SweepEvents = { training: () => undefined, message: () => undefined };

/** The tag on every run a sweep trained. */
export function sweepTag(sweepId: string): string {
  return `sweep:${sweepId}`;
}
