/**
 * How often a live view redraws while a run streams in, remembered in localStorage: 'auto' or a
 * fixed rate. Each redraw costs one composited frame. With a GPU that is nearly free and auto
 * means 4 a second; where the page is drawn in software (no GPU: SwiftShader / llvmpipe, a server,
 * a VM, CI) every frame costs the CPU ~50 ms that the training on the same cores loses, and auto
 * means 1 a second (bench:lab measured ~0.3 of a core for Chromium at 2 a second on 2 cores).
 * Until a WebGL renderer has told which kind this is, auto assumes software.
 */
import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';
import { isSoftwareGl, onWebglRendererInfo, webglRendererInfo } from '../lib/render-env';

export type LiveRefresh = 'auto' | 1 | 2 | 4 | 10;
export const LIVE_REFRESH_CHOICES: readonly LiveRefresh[] = ['auto', 1, 2, 4, 10];
const KEY = 'sen-lab/live-refresh';
const AUTO_GPU_HZ = 4;
const AUTO_SOFTWARE_HZ = 1;

function stored(): LiveRefresh {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const v = raw === 'auto' ? raw : Number(raw);
    return LIVE_REFRESH_CHOICES.includes(v as LiveRefresh) ? (v as LiveRefresh) : 'auto';
  } catch {
    return 'auto'; // storage disabled: the default, not an error
  }
}

export interface LiveRefreshState {
  /** the user's choice */
  choice: Ref<LiveRefresh>;
  /** redraws per second that the choice means here */
  hz: ComputedRef<number>;
  /** what auto resolved to and why, for the control's label */
  autoLabel: ComputedRef<string>;
}

export function useLiveRefresh(): LiveRefreshState {
  const choice = ref<LiveRefresh>(stored());
  const gl = ref(webglRendererInfo());
  onScopeDispose(onWebglRendererInfo((info) => (gl.value = info)));
  const software = computed(() => gl.value === undefined || isSoftwareGl(gl.value));
  const autoHz = computed(() => (software.value ? AUTO_SOFTWARE_HZ : AUTO_GPU_HZ));
  watch(choice, (v) => {
    try {
      globalThis.localStorage?.setItem(KEY, String(v));
    } catch {
      // not remembered; still applied
    }
  });
  return {
    choice,
    hz: computed(() => (choice.value === 'auto' ? autoHz.value : choice.value)),
    autoLabel: computed(() => `auto (${autoHz.value}/s${software.value ? ', no GPU' : ''})`),
  };
}
