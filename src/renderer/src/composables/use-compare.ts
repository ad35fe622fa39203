/**
 * Loads the runs being compared (each on its own, so one missing run does not hide the others)
 * and their final snapshots.
 */
import { shallowRef, watch, type Ref } from 'vue';
import type { NamedArray } from '../../../shared/codec';
import type { RunDetail } from '../../../shared/run-config';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { decodeSnapshot } from '../lib/snapshot';

export interface ComparedRun {
  id: string;
  detail?: RunDetail;
  error?: string;
}

export function useCompare(ids: Ref<string[]>) {
  const lab = host();
  const runs = shallowRef<ComparedRun[]>([]);
  const loading = shallowRef(false);
  const finals = shallowRef(new Map<string, NamedArray[] | null>());
  const cache = new Map<string, ComparedRun>();
  let generation = 0;

  async function loadRun(id: string): Promise<ComparedRun> {
    const hit = cache.get(id);
    if (hit?.detail) return hit;
    try {
      const r = { id, detail: await lab.getRun(id) };
      cache.set(id, r);
      return r;
    } catch (err) {
      return { id, error: errorMessage(err) };
    }
  }

  async function loadFinal(r: ComparedRun): Promise<void> {
    if (!r.detail || r.detail.config.model.kind !== 'spatial' || finals.value.has(r.id)) return;
    let arrays: NamedArray[] | null = null;
    try {
      const epochs = await lab.getSnapshotEpochs(r.id);
      const last = epochs[epochs.length - 1];
      if (last !== undefined) arrays = decodeSnapshot(await lab.getSnapshot(r.id, last));
    } catch {
      arrays = null; // the run's card says "no positions"; the comparison itself still works
    }
    finals.value = new Map(finals.value).set(r.id, arrays);
  }

  watch(
    ids,
    async (list) => {
      const mine = ++generation;
      loading.value = true;
      const loaded = await Promise.all(list.map(loadRun));
      if (mine !== generation) return;
      runs.value = loaded;
      loading.value = false;
      await Promise.all(loaded.map(loadFinal));
    },
    { immediate: true },
  );

  return { runs, loading, finals };
}
