/**
 * The global error/notice area: failed calls, `lab/error` events and uncaught errors end up here,
 * shown plainly instead of crashing the window.
 */
import { shallowRef } from 'vue';
import { errorMessage } from '../lib/errors';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** what was being done, e.g. "Delete run" */
  title: string;
  message: string;
  /** identical toasts are collapsed into one with a count */
  count: number;
  /** stays until dismissed (background failures the user may not be looking at) */
  sticky: boolean;
}

const MAX_TOASTS = 5;
const AUTO_DISMISS_MS = 12_000;

export const toasts = shallowRef<Toast[]>([]);
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function push(t: Omit<Toast, 'id' | 'count'>): void {
  const same = toasts.value.find((x) => x.title === t.title && x.message === t.message && x.kind === t.kind);
  if (same) {
    toasts.value = toasts.value.map((x) => (x === same ? { ...x, count: x.count + 1 } : x));
    armTimer(same.id, t.sticky);
    return;
  }
  const toast: Toast = { ...t, id: nextId++, count: 1 };
  toasts.value = [...toasts.value, toast].slice(-MAX_TOASTS);
  armTimer(toast.id, t.sticky);
}

function armTimer(id: number, sticky: boolean): void {
  clearTimeout(timers.get(id));
  if (!sticky)
    timers.set(
      id,
      setTimeout(() => dismissToast(id), AUTO_DISMISS_MS),
    );
}

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

/** Shows a failure; `title` says what was being attempted. */
export function reportError(title: string, err: unknown, opts: { sticky?: boolean } = {}): void {
  push({ kind: 'error', title, message: errorMessage(err), sticky: opts.sticky ?? false });
}

export function notify(title: string, message = ''): void {
  push({ kind: 'info', title, message, sticky: false });
}

/**
 * Awaits a call and reports its failure as a toast; resolves undefined on failure so callers can
 * simply `if (!result) return`.
 */
export async function attempt<T>(title: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    reportError(title, err);
    return undefined;
  }
}
