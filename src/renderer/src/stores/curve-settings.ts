/** TensorBoard-like curve controls shared by every chart of the lab, remembered across sessions. */
import { ref, watch } from 'vue';
import { isXAxisMode, type XAxisMode } from '../plots/x-scale';

const KEY = 'sen-lab.curves';

function read(): { smoothing: number; logY: boolean; xAxis: XAxisMode } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { smoothing?: number; logY?: boolean; xAxis?: unknown };
    return {
      smoothing: typeof v.smoothing === 'number' ? v.smoothing : 0.6,
      logY: v.logY === true,
      xAxis: isXAxisMode(v.xAxis) ? v.xAxis : 'epoch',
    };
  } catch {
    return { smoothing: 0.6, logY: false, xAxis: 'epoch' };
  }
}

const initial = read();
/** EMA weight of the step curves (0: raw) */
export const smoothing = ref(initial.smoothing);
/** logarithmic y axis on loss charts */
export const logY = ref(initial.logY);
/** the curves' x axis: epoch, step, samples seen or training time */
export const xAxis = ref<XAxisMode>(initial.xAxis);
watch([smoothing, logY, xAxis], ([s, l, x]) =>
  localStorage.setItem(KEY, JSON.stringify({ smoothing: s, logY: l, xAxis: x })),
);
