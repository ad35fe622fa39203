/**
 * Stored position snapshots of one run: the list of epochs, and a cached loader so scrubbing
 * back and forth never fetches an epoch twice. The next epoch is prefetched while one is shown.
 */
import { shallowRef } from 'vue';
import type { NamedArray } from '../../../shared/codec';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { decodeSnapshot } from '../lib/snapshot';

const MAX_CACHED = 200;

export function useSnapshots(runId: string) {
  const lab = host();
  const epochs = shallowRef<number[]>([]);
  const epoch = shallowRef<number>();
  const arrays = shallowRef<NamedArray[] | null>(null);
  const loading = shallowRef(false);
  const error = shallowRef<string>();
  const cache = new Map<number, Promise<NamedArray[]>>();

  function fetch(e: number): Promise<NamedArray[]> {
    let p = cache.get(e);
    if (!p) {
      p = lab.getSnapshot(runId, e).then(decodeSnapshot);
      p.catch(() => cache.delete(e));
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(e, p);
    }
    return p;
  }

  /** Shows epoch `e`; a slower earlier request never overwrites a later choice. */
  async function show(e: number): Promise<void> {
    epoch.value = e;
    loading.value = true;
    try {
      const result = await fetch(e);
      if (epoch.value !== e) return;
      arrays.value = result;
      error.value = undefined;
      const next = epochs.value[epochs.value.indexOf(e) + 1];
      if (next !== undefined) void fetch(next).catch(() => undefined);
    } catch (err) {
      if (epoch.value === e) error.value = errorMessage(err);
    } finally {
      if (epoch.value === e) loading.value = false;
    }
  }

  /** Loads the epoch list and shows the last snapshot. */
  async function load(): Promise<void> {
    try {
      epochs.value = await lab.getSnapshotEpochs(runId);
      const last = epochs.value[epochs.value.length - 1];
      if (last !== undefined) await show(last);
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  /** Picks up snapshots stored since (a training run); keeps what is shown unless nothing is. */
  async function refreshEpochs(): Promise<void> {
    try {
      epochs.value = await lab.getSnapshotEpochs(runId);
      const last = epochs.value[epochs.value.length - 1];
      if (epoch.value === undefined && last !== undefined) await show(last);
    } catch {
      // keep the list we have; the next epoch or status event tries again
    }
  }

  return { epochs, epoch, arrays, loading, error, load, refreshEpochs, show, fetch };
}
