/**
 * A small typed emitter for the contract's push events (`LabEvents`). Plain Node, no Electron:
 * the Electron main process and the browser-mode server both subscribe to it.
 */
import type { LabEventListener, LabEventName, LabEvents, Unsubscribe } from '../../shared/lab-api';

/** Receives every event with its name (used by transports that forward everything). */
export type AnyLabEventListener = <E extends LabEventName>(event: E, payload: LabEvents[E]) => void;

/** Typed `on`/`onAny`/`emit`; a throwing listener is logged and never reaches the emitter. */
export class LabEventEmitter {
  private readonly listeners = new Map<LabEventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<AnyLabEventListener>();

  /** Subscribes to one event; returns the function that unsubscribes. */
  on<E extends LabEventName>(event: E, listener: LabEventListener<E>): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Subscribes to every event. */
  onAny(listener: AnyLabEventListener): Unsubscribe {
    this.anyListeners.add(listener);
    return () => void this.anyListeners.delete(listener);
  }

  /**
   * Delivers `payload` to the listeners of `event`, then to the catch-all listeners.
   * Events are emitted from inside training callbacks, where an exception would fail the run, so
   * listener errors are contained here.
   */
  emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      this.guard(event, () => (listener as LabEventListener<E>)(payload));
    }
    for (const listener of this.anyListeners) this.guard(event, () => listener(event, payload));
  }

  private guard(event: LabEventName, call: () => void): void {
    try {
      call();
    } catch (err) {
      console.error(`SEN Lab: a '${event}' listener failed:`, err);
    }
  }
}
