import { app, BrowserWindow } from 'electron';
import { registerLabIpc } from './ipc';
import { appUrlCheck, installSecurity, trustedSender } from './security';
import { createMainWindow, rendererUrl } from './window';

// Same name (and so the same userData folder) however the app is launched.
app.setName('SEN Lab');
// Every renderer sandboxed, including any created later.
app.enableSandbox();

async function main(): Promise<void> {
  await app.whenReady();
  const url = rendererUrl();
  const isAppUrl = appUrlCheck(url);
  installSecurity(isAppUrl);
  registerLabIpc(trustedSender(isAppUrl));
  createMainWindow(url);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(url);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

main().catch((err: unknown) => {
  console.error('SEN Lab failed to start:', err);
  app.exit(1);
});
