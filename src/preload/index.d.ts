import type { LabApi } from '../shared/lab-api';

declare global {
  interface Window {
    /**
     * Set by the preload in Electron; absent in browser mode. Renderer code reaches it only through
     * `src/renderer/src/host.ts`.
     */
    readonly lab?: LabApi;
  }
}

export {};
