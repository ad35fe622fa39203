/**
 * The cost of what a form describes, before Start: `LabApi.estimateCost` (the lab's one estimator,
 * also behind `sen-lab reproduce --dry-run`) asked again whenever the request changes, the latest
 * answer kept. A network the store never trained is measured on the server, which can take seconds.
 */
import { computed, watch } from 'vue';
import type { CostRequest } from '../../../shared/lab-api';
import { host } from '../host';
import { useLatestRequest } from './use-latest-request';

export function useCostEstimate(request: () => CostRequest | null) {
  const lab = host();
  const latest = useLatestRequest((r: CostRequest) => lab.estimateCost(r), { debounceMs: 400 });
  const key = computed(() => {
    const r = request();
    return r ? JSON.stringify(r) : '';
  });
  watch(
    key,
    (json) => {
      if (json) latest.request(JSON.parse(json) as CostRequest);
    },
    { immediate: true },
  );
  /** the estimate of the current request (a stale one is dropped) */
  const estimate = computed(() =>
    latest.result.value && key.value && JSON.stringify(latest.result.value.arg) === key.value
      ? latest.result.value.value
      : undefined,
  );
  return { estimate, busy: latest.busy, error: latest.error, hasRequest: computed(() => !!key.value) };
}
