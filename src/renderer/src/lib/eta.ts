/**
 * Time left of a batch of trainings (a reproduction): from the pace so far once some trainings
 * finished (elapsed x total / done), before that from the estimate made before Start.
 */
export interface Eta {
  /** seconds left (>= 0) */
  seconds: number;
  /** where the figure comes from */
  basis: 'pace' | 'estimate';
}

export function remainingTime(opts: {
  elapsedS: number;
  done: number;
  total: number;
  /** the estimate of the whole (seconds), if known */
  estimateS?: number;
}): Eta | null {
  const { elapsedS, done, total, estimateS } = opts;
  if (total > 0 && done > 0 && done < total) {
    return { seconds: Math.max(0, (elapsedS * total) / done - elapsedS), basis: 'pace' };
  }
  if (estimateS !== undefined && Number.isFinite(estimateS) && (total === 0 || done < total)) {
    return { seconds: Math.max(0, estimateS - elapsedS), basis: 'estimate' };
  }
  return null;
}
