import type { WebContents } from 'electron';
import type { LabEventName, LabEvents } from '../../shared/lab-api';

/** Typed main -> renderer push; the preload only forwards names listed in LAB_EVENTS. */
export function sendLabEvent<E extends LabEventName>(target: WebContents, event: E, payload: LabEvents[E]): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
