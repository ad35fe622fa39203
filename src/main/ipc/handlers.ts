import type { LabMethod, LabMethods } from '../../shared/lab-api';
import { appHandlers } from './app';
import { costHandlers } from './cost';
import { datasetHandlers } from './datasets';
import { fileHandlers } from './files';
import { figureHandlers } from './figures';
import { presetHandlers } from './presets';
import { pruneHandlers } from './prune';
import { reproduceHandlers } from './reproduce';
import { runHandlers } from './runs';
import { snnHandlers } from './snn';
import { snapshotHandlers } from './snapshots';
import { studyHandlers } from './studies';
import { sweepHandlers } from './sweeps';
import type { LabHandler, LabHandlers } from './types';

/**
 * Every method of the contract over one service; a method without a handler is a compile error
 * here. Both transports (Electron IPC, the browser-mode HTTP server) use the same handlers, so
 * argument validation is identical whichever way a call arrives.
 */
export function createLabHandlers(service: LabMethods): LabHandlers {
  return {
    ...appHandlers(service),
    ...presetHandlers(service),
    ...datasetHandlers(service),
    ...runHandlers(service),
    ...snapshotHandlers(service),
    ...pruneHandlers(service),
    ...studyHandlers(service),
    ...sweepHandlers(service),
    ...reproduceHandlers(service),
    ...snnHandlers(service),
    ...figureHandlers(service),
    ...fileHandlers(service),
    ...costHandlers(service),
  };
}

/** Validates an untrusted argument list and runs one method. Throws the validation error as is. */
export async function invokeHandler<M extends LabMethod>(
  handlers: LabHandlers,
  method: M,
  raw: readonly unknown[],
): Promise<unknown> {
  const handler: LabHandler<M> = handlers[method];
  return handler.run(...handler.args(raw));
}
