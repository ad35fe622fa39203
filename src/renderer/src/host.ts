/**
 * The renderer's only door to the lab backend (Netron's "host" pattern). Components and stores
 * call `host()`; they never touch `window.lab`. In Electron the preload's bridge is used; in
 * browser mode (served by bin/serve.mjs, later) an HTTP client will implement the same `LabApi`.
 */
import { bindLabMethods, type LabApi } from '../../shared/lab-api';

export class BrowserModeUnavailableError extends Error {
  override name = 'BrowserModeUnavailableError';
  constructor(detail?: string) {
    super(`browser mode not available yet${detail ? ` (${detail})` : ''}`);
  }
}

/** Browser-mode client. A stub for now: every call rejects; the transport will POST to `${base}/api/<channel>`. */
export function createHttpHost(base = ''): LabApi {
  return {
    ...bindLabMethods((channel) => Promise.reject(new BrowserModeUnavailableError(`POST ${base}/api/${channel}`))),
    on: (event) => {
      throw new BrowserModeUnavailableError(`events: ${event}`);
    },
  };
}

let current: LabApi | undefined;

export function host(): LabApi {
  current ??= window.lab ?? createHttpHost();
  return current;
}

export type HostKind = 'electron' | 'browser';
export const hostKind = (): HostKind => (window.lab ? 'electron' : 'browser');
