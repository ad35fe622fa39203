import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { LAB_CHANNELS, LAB_METHODS, type LabMethod } from '../../shared/lab-api';
import { toIpcError } from '../../shared/schema/wire';
import { invokeHandler } from './handlers';
import type { LabHandlers } from './types';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

function register<M extends LabMethod>(method: M, handlers: LabHandlers, isTrusted: SenderCheck): void {
  const channel = LAB_CHANNELS[method];
  ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
    if (!isTrusted(event)) throw new Error(`${channel}: sender not allowed`);
    try {
      return await invokeHandler(handlers, method, raw);
    } catch (err) {
      throw toIpcError(err); // keeps the error's name and field path (Electron passes only the message)
    }
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
