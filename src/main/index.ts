import { dirname, extname, join } from 'node:path';
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import { defaultDbPath } from '../core/store/index';
import { createLabHandlers } from './ipc/handlers';
import { registerLabIpc } from './ipc';
import { sendLabEvent } from './ipc/events';
import { appUrlCheck, installSecurity, trustedSender } from './security';
import { LabService } from './services/lab-service';
import { abiMismatchMessage, isAbiMismatch, sqliteBindingForThisProcess } from './services/sqlite-binding';
import { createMainWindow, rendererUrl } from './window';

// Same name (and so the same userData folder) however the app is launched.
app.setName('SEN Lab');
// Every renderer sandboxed, including any created later.
app.enableSandbox();

let service: LabService | undefined;
let closing: Promise<void> | undefined;
let shutDown = false;

/** The same database as the CLI and browser mode: `$SEN_LAB_DB`, else the per-user data folder. */
function dbPath(): string {
  return defaultDbPath();
}

/**
 * Opens the lab on the run store with the better-sqlite3 addon built for this Electron (see
 * services/sqlite-binding.ts); without that build, node_modules' own is tried, and when that one is
 * for another ABI (Node's) the error says how to fix it.
 */
function openService(): LabService {
  const binding = sqliteBindingForThisProcess();
  try {
    const service = LabService.open({
      dbPath: dbPath(),
      appVersion: __APP_VERSION__,
      askSavePath,
      nativeBinding: binding.nativeBinding,
    });
    // a damaged or read-only store opens read-only: say so once instead of failing every later write
    const reason = service.readOnlyReason;
    if (reason) {
      console.warn(`SEN Lab: the run database is open READ-ONLY: ${reason}`);
      dialog.showErrorBox('SEN Lab: run database opened read-only', reason);
    }
    return service;
  } catch (err) {
    if (isAbiMismatch(err)) throw new Error(abiMismatchMessage(err, binding), { cause: err });
    throw err;
  }
}

/** the folder of the last save (a figure's CSV is offered next to the figure), else Downloads */
let lastSaveDir: string | undefined;

/**
 * `saveFile`'s "where?": the native save dialog on the focused window (sheet on macOS), starting in
 * the last folder saved to with the suggested name; the service writes the file atomically. null
 * when cancelled.
 */
async function askSavePath(suggestedName: string): Promise<string | null> {
  const ext = extname(suggestedName).slice(1).toLowerCase();
  const options: SaveDialogOptions = {
    title: 'Save figure',
    defaultPath: join(lastSaveDir ?? app.getPath('downloads'), suggestedName),
    ...(ext
      ? {
          filters: [
            { name: ext.toUpperCase(), extensions: [ext] },
            { name: 'All files', extensions: ['*'] },
          ],
        }
      : {}),
  };
  const win = BrowserWindow.getFocusedWindow();
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  lastSaveDir = dirname(r.filePath);
  return r.filePath;
}

async function main(): Promise<void> {
  await app.whenReady();
  const url = rendererUrl();
  const isAppUrl = appUrlCheck(url);
  installSecurity(isAppUrl);
  service = openService();
  registerLabIpc(trustedSender(isAppUrl), createLabHandlers(service));
  // Every window shows the same lab, so every window gets every event.
  service.onAny((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) sendLabEvent(win.webContents, event, payload);
  });
  createMainWindow(url);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(url);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for running trainings to stop after their batch (stored 'interrupted', resumable)
// and for the store to close; the quit is then repeated with nothing left to wait for.
app.on('before-quit', (event) => {
  if (shutDown || !service) return;
  event.preventDefault();
  if (closing) return; // a second quit while trainings are stopping: the first one finishes the job
  closing = service
    .close()
    .catch((err: unknown) => console.error('SEN Lab: closing the lab failed:', err))
    .finally(() => {
      shutDown = true;
      app.quit();
    });
});

// A terminal's Ctrl-C or a service manager's SIGTERM should shut down as gracefully as a quit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

main().catch((err: unknown) => {
  console.error('SEN Lab failed to start:', err);
  dialog.showErrorBox('SEN Lab failed to start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
