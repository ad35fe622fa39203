import { app, session, type IpcMainInvokeEvent } from 'electron';
import { RENDERER_CSP } from '../shared/csp';

/** Decides whether a URL belongs to the app's own renderer (dev server origin or the built index.html). */
export type AppUrlCheck = (url: string) => boolean;

export function appUrlCheck(rendererUrl: string): AppUrlCheck {
  const base = new URL(rendererUrl);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (base.protocol === 'file:') return u.protocol === 'file:' && u.pathname === base.pathname;
    return u.origin === base.origin;
  };
}

/** Session- and app-wide hardening; call once after `app` is ready. */
export function installSecurity(isAppUrl: AppUrlCheck): void {
  const ses = session.defaultSession;

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([k]) => k.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [RENDERER_CSP] } });
  });

  // No camera, notifications, geolocation, ... for now; grant selectively when a feature needs it.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** IPC is only answered for frames showing the app itself. */
export function trustedSender(isAppUrl: AppUrlCheck): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const url = event.senderFrame?.url;
    return url !== undefined && isAppUrl(url);
  };
}
