/**
 * The distance-threshold slider of a run's Pruning tab: connections longer than the threshold go.
 * Sparsity follows client-side at once (from the snapshot geometry); the test accuracy of the
 * pruned network comes from `pruneRun` on the first TEST_SIZE test images, one request in flight,
 * the latest threshold winning. The unpruned accuracy on the same images is the reference.
 */
import { computed, ref, watch, type Ref } from 'vue';
import type { PruneResult } from '../../../shared/lab-api';
import { host } from '../host';
import { pruneCut, type ConnectionTable } from '../lib/prune-geometry';
import { useAsync } from './use-async';
import { useLatestRequest } from './use-latest-request';

export const SLIDER_TEST_SIZE = 2000;
/** positions of the slider between the shortest and the longest connection */
export const SLIDER_STEPS = 1000;

export function usePruneSlider(runId: string, table: Ref<ConnectionTable | null | undefined>) {
  const lab = host();
  /** connections with d <= distance are kept */
  const distance = ref(Infinity);
  watch(
    table,
    (t) => {
      if (t) distance.value = t.maxDistance;
    },
    { immediate: true },
  );
  const range = computed(() =>
    table.value ? { min: table.value.minDistance, max: table.value.maxDistance } : { min: 0, max: 1 },
  );
  const cut = computed(() =>
    table.value ? pruneCut(table.value, { maxDistance: Math.min(distance.value, table.value.maxDistance) }) : null,
  );

  const first = (r: PruneResult[]): PruneResult => {
    if (!r[0]) throw new Error('pruneRun returned no result');
    return r[0];
  };
  const evaluation = useLatestRequest((d: number) =>
    lab.pruneRun(runId, { maxDistances: [d], testSize: SLIDER_TEST_SIZE }).then(first),
  );
  watch(distance, (d) => {
    if (table.value && d < table.value.maxDistance) evaluation.request(d);
  });
  const unpruned = useAsync(() => lab.pruneRun(runId, { rates: [0], testSize: SLIDER_TEST_SIZE }).then(first), {
    immediate: false,
  });
  watch(
    () => !!table.value,
    (has) => {
      if (has && !unpruned.data.value) void unpruned.reload();
    },
    { immediate: true },
  );

  /** the accuracy shown: the latest answer, and whether it is for the threshold now set */
  const accuracy = computed(() => {
    const t = table.value;
    if (t && distance.value >= t.maxDistance)
      return {
        value: unpruned.data.value?.testAccuracy ?? null,
        distance: t.maxDistance,
        current: true,
        pruned: false,
      };
    const r = evaluation.result.value;
    if (!r) return { value: null, distance: null, current: false, pruned: true };
    return {
      value: r.value.testAccuracy,
      distance: r.arg,
      current: r.arg === distance.value,
      pruned: true,
      sparsity: r.value.sparsity,
    };
  });

  return { distance, range, cut, evaluation, unpruned, accuracy };
}
