import type { PruningConfig } from '../../shared/run-config';

/**
 * The pruning rate in force at a point of training (epoch is 1-based, fraction = share of the
 * epoch done). 'constant': the full rate from the first step (the paper's mode b); 'gradual': a
 * linear ramp from 0 to the rate over `rampEpochs` (default: half the epochs, at least 1).
 */
export function pruningRateAt(p: PruningConfig, epochs: number, epoch: number, fraction: number): number {
  if (p.schedule === 'constant') return p.rate;
  const ramp = p.rampEpochs ?? Math.max(1, Math.floor(epochs / 2));
  const done = epoch - 1 + fraction;
  return p.rate * Math.min(1, done / ramp);
}
