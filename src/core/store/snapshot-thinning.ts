/**
 * Bounded snapshots: a run keeps at most N position snapshots (default 200), thinned evenly over
 * its epochs, the first and the latest always kept. Without a bound `epochs 1e6, snapshotEvery 1`
 * stores a snapshot per epoch for ever.
 */

/** Snapshots a run keeps unless its config says otherwise (`maxSnapshots`). */
export const DEFAULT_MAX_SNAPSHOTS = 200;

/**
 * Which of the stored snapshot `epochs` (ascending) to delete so at most `max` (>= 2) remain.
 * Kept: the first, the latest, and every e with (e - e_0) mod s = 0, where the stride s is the
 * smallest power of two for which at most `max` remain (multiples of s in the span, plus the latest). The stride depends only on the
 * span, so it never shrinks as a run grows: applied after every new snapshot, the kept epochs are
 * always exactly s apart (only the gap before the latest may be shorter), between max/2 and max.
 */
export function snapshotsToDrop(epochs: readonly number[], max: number): number[] {
  if (epochs.length < 2) return [];
  const first = epochs[0];
  const span = epochs[epochs.length - 1] - first;
  const bound = Math.max(2, max);
  let stride = 1;
  const kept = (s: number): number => Math.floor(span / s) + 1 + (span % s === 0 ? 0 : 1);
  while (kept(stride) > bound) stride *= 2;
  const lastIndex = epochs.length - 1;
  return epochs.filter((e, i) => i !== 0 && i !== lastIndex && (e - first) % stride !== 0);
}
