/**
 * Per-step training history: the running training loss and accuracy every N optimizer steps, N
 * chosen from the planned number of steps so that a run keeps at most MAX_STEP_POINTS points.
 */

/** One point of the step history: means over the steps since the previous point. */
export interface StepPoint {
  /** optimizer steps done since the start of the run (1-based) */
  step: number;
  /** the epoch the step belongs to (1-based) and its batch within it (1-based) */
  epoch: number;
  batch: number;
  /** training images seen since the start of the run */
  samples: number;
  /** training time since the start of the run (ms; evaluation excluded) */
  timeMs: number;
  /** mean training loss and accuracy over the steps since the previous point */
  loss: number;
  accuracy: number;
}

/** The most points one run keeps. */
export const MAX_STEP_POINTS = 2000;

/** Steps between two points: ceil(total / MAX_STEP_POINTS), at least 1. */
export function stepInterval(totalSteps: number, maxPoints = MAX_STEP_POINTS): number {
  return Math.max(1, Math.ceil(totalSteps / Math.max(1, maxPoints)));
}
