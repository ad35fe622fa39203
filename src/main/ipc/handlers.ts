import { appHandlers } from './app';
import { presetHandlers } from './presets';
import type { LabHandlers } from './types';

/** Every method of the contract; a method without a handler is a compile error here. */
export const labHandlers: LabHandlers = {
  ...appHandlers,
  ...presetHandlers,
};
