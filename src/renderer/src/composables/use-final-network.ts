/**
 * A run's final network as the pruning views need it: the run, its last stored position
 * snapshot, the geometry, and the distance / weight of every connection (ConnectionTable).
 * A few recent networks are cached: a 784-2048-10 table is 13 MB and ~50 ms to build.
 */
import { shallowRef, watch, type Ref } from 'vue';
import type { NamedArray } from '../../../shared/codec';
import { layerGeometry, type EmbeddingGeometry } from '../../../shared/geometry';
import type { RunDetail } from '../../../shared/run-config';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { connectionTable, type ConnectionTable } from '../lib/prune-geometry';
import { decodeSnapshot } from '../lib/snapshot';

export interface FinalNetwork {
  run: RunDetail;
  /** epoch of the snapshot shown (null: the run has none, e.g. a dense model) */
  epoch: number | null;
  arrays: NamedArray[] | null;
  geometry: EmbeddingGeometry | null;
  table: ConnectionTable | null;
  /** test accuracy of the last finished epoch */
  testAccuracy: number | null;
}

const MAX_CACHED = 4;
const cache = new Map<string, Promise<FinalNetwork>>();

async function load(runId: string): Promise<FinalNetwork> {
  const lab = host();
  const run = await lab.getRun(runId);
  const last = run.epochs[run.epochs.length - 1];
  const base = {
    run,
    epoch: null,
    arrays: null,
    geometry: null,
    table: null,
    testAccuracy: last?.testAccuracy ?? null,
  };
  if (run.config.model.kind !== 'spatial') return base;
  const epochs = await lab.getSnapshotEpochs(runId);
  const epoch = epochs[epochs.length - 1];
  if (epoch === undefined) return base;
  const arrays = decodeSnapshot(await lab.getSnapshot(runId, epoch));
  const geometry = layerGeometry(run.config.model, arrays);
  return { ...base, epoch, arrays, geometry, table: connectionTable(geometry) };
}

/** The final network of a run (cached; a failed load is not). */
export function loadFinalNetwork(runId: string): Promise<FinalNetwork> {
  let p = cache.get(runId);
  if (!p) {
    p = load(runId);
    p.catch(() => cache.delete(runId));
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(runId, p);
  }
  return p;
}

/** Follows a run id (null: nothing); a slower earlier load never overwrites a later one. */
export function useFinalNetwork(runId: Ref<string | null | undefined>) {
  const network = shallowRef<FinalNetwork>();
  const error = shallowRef<string>();
  const loading = shallowRef(false);
  watch(
    runId,
    async (id) => {
      error.value = undefined;
      if (!id) {
        network.value = undefined;
        return;
      }
      if (network.value?.run.id !== id) network.value = undefined;
      loading.value = true;
      try {
        const n = await loadFinalNetwork(id);
        if (runId.value === id) network.value = n;
      } catch (err) {
        if (runId.value === id) error.value = errorMessage(err);
      } finally {
        if (runId.value === id) loading.value = false;
      }
    },
    { immediate: true },
  );
  return { network, error, loading };
}
