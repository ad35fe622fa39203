/**
 * Requests driven by a fast-moving control (a slider): at most one call in flight; while it runs,
 * newer arguments replace each other and only the latest is sent when it returns. A short debounce
 * skips values the control only passed through.
 */
import { getCurrentScope, onScopeDispose, shallowRef } from 'vue';
import { errorMessage } from '../lib/errors';

export interface LatestResult<A, R> {
  arg: A;
  value: R;
}

export function useLatestRequest<A, R>(call: (arg: A) => Promise<R>, opts: { debounceMs?: number } = {}) {
  const result = shallowRef<LatestResult<A, R>>();
  const error = shallowRef<string>();
  /** a call is in flight or waiting for the debounce */
  const busy = shallowRef(false);
  /** the argument of the call in flight */
  const inFlight = shallowRef<A>();
  let queued: { arg: A } | null = null;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  async function run(arg: A): Promise<void> {
    running = true;
    inFlight.value = arg;
    try {
      const value = await call(arg);
      if (!disposed) {
        result.value = { arg, value };
        error.value = undefined;
      }
    } catch (err) {
      if (!disposed) error.value = errorMessage(err);
    } finally {
      running = false;
      inFlight.value = undefined;
      const next = queued;
      queued = null;
      if (next && !disposed) void run(next.arg);
      else busy.value = false;
    }
  }

  /** asks for `arg`; supersedes any earlier argument not yet sent */
  function request(arg: A): void {
    busy.value = true;
    queued = { arg };
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running || !queued) return; // the call in flight picks the latest up when it returns
      const next = queued;
      queued = null;
      void run(next.arg);
    }, opts.debounceMs ?? 80);
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true;
      clearTimeout(timer);
    });
  }

  return { result, error, busy, inFlight, request };
}
