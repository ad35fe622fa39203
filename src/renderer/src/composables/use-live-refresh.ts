/**
 * How often a live view redraws while a run streams in (ticks per second), remembered in
 * localStorage. Lower leaves more CPU to the training where the page is drawn in software (no
 * GPU: a server, a VM); 2 a second keeps the neurons visibly moving at a few % of one core.
 */
import { ref, watch, type Ref } from 'vue';

export const LIVE_REFRESH_CHOICES = [1, 2, 4, 10] as const;
export const DEFAULT_LIVE_REFRESH_HZ = 2;
const KEY = 'sen-lab/live-refresh-hz';

function stored(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(KEY));
    return (LIVE_REFRESH_CHOICES as readonly number[]).includes(v) ? v : DEFAULT_LIVE_REFRESH_HZ;
  } catch {
    return DEFAULT_LIVE_REFRESH_HZ; // storage disabled: the default, not an error
  }
}

export function useLiveRefresh(): Ref<number> {
  const hz = ref(stored());
  watch(hz, (v) => {
    try {
      globalThis.localStorage?.setItem(KEY, String(v));
    } catch {
      // not remembered; still applied
    }
  });
  return hz;
}
