import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { LAB_CHANNELS, LAB_METHODS, type LabMethod } from '../../shared/lab-api';
import { invokeHandler } from './handlers';
import type { LabHandlers } from './types';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

function register<M extends LabMethod>(method: M, handlers: LabHandlers, isTrusted: SenderCheck): void {
  const channel = LAB_CHANNELS[method];
  ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
    if (!isTrusted(event)) throw new Error(`${channel}: sender not allowed`);
    return invokeHandler(handlers, method, raw);
  });
}

/**
 * Registers one `ipcMain.handle` per contract method (handlers from `createLabHandlers`);
 * returns a function that removes them.
 */
export function registerLabIpc(isTrusted: SenderCheck, handlers: LabHandlers): () => void {
  for (const method of LAB_METHODS) register(method, handlers, isTrusted);
  return () => {
    for (const method of LAB_METHODS) ipcMain.removeHandler(LAB_CHANNELS[method]);
  };
}
