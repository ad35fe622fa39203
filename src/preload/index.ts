/**
 * Sandboxed preload: builds `window.lab` from the contract's channel list. Only `invoke` per
 * method and filtered event subscription cross the bridge; `ipcRenderer` itself is never exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { bindLabMethods, isLabEventName, type LabApi } from '../shared/lab-api';

const on: LabApi['on'] = (event, listener) => {
  if (!isLabEventName(event)) throw new Error(`unknown lab event: ${String(event)}`);
  // Never hand the IpcRendererEvent (sender, ports) to the page: forward the payload only.
  const forward = (_e: IpcRendererEvent, payload: unknown): void => listener(payload as Parameters<typeof listener>[0]);
  ipcRenderer.on(event, forward);
  return () => {
    ipcRenderer.removeListener(event, forward);
  };
};

const lab: LabApi = { ...bindLabMethods((channel, args) => ipcRenderer.invoke(channel, ...args)), on };

contextBridge.exposeInMainWorld('lab', lab);
