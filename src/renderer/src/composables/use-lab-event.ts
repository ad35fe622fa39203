import { getCurrentScope, onScopeDispose } from 'vue';
import type { LabEventListener, LabEventName, Unsubscribe } from '../../../shared/lab-api';
import { host } from '../host';
import { reportError } from '../stores/toasts';

/**
 * Subscribes to a lab event outside any component (stores). A handler that throws is reported,
 * not propagated; a backend that cannot deliver events is reported once and yields a no-op.
 */
export function subscribeLabEvent<E extends LabEventName>(name: E, handler: LabEventListener<E>): Unsubscribe {
  const safe: LabEventListener<E> = (payload) => {
    try {
      handler(payload);
    } catch (err) {
      reportError(`Handling ${name}`, err);
    }
  };
  try {
    return host().on(name, safe);
  } catch (err) {
    reportError('Live updates unavailable', err, { sticky: true });
    return () => {};
  }
}

/** Subscribes for the lifetime of the calling component (or effect scope): unsubscribes on unmount. */
export function useLabEvent<E extends LabEventName>(name: E, handler: LabEventListener<E>): void {
  const off = subscribeLabEvent(name, handler);
  if (getCurrentScope()) onScopeDispose(off);
}
