/** TensorBoard-like curve controls shared by every chart of the lab, remembered across sessions. */
import { ref, watch } from 'vue';

const KEY = 'sen-lab.curves';

function read(): { smoothing: number; logY: boolean } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { smoothing?: number; logY?: boolean };
    return { smoothing: typeof v.smoothing === 'number' ? v.smoothing : 0.6, logY: v.logY === true };
  } catch {
    return { smoothing: 0.6, logY: false };
  }
}

const initial = read();
/** EMA weight of the step curves (0: raw) */
export const smoothing = ref(initial.smoothing);
/** logarithmic y axis on loss charts */
export const logY = ref(initial.logY);
watch([smoothing, logY], ([s, l]) => localStorage.setItem(KEY, JSON.stringify({ smoothing: s, logY: l })));
