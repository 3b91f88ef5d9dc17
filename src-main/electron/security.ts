import { shell, type Session, type WebContents } from 'electron';
import { isExternalLink } from './app-origin';

/**
 * Refuses every permission (camera, notifications, USB, …) the page could ask for or probe, and adds the
 * CSP header to the app's pages when they come over http (the dev server; app:// sets its own).
 */
export function hardenSession(session: Session, options: { isAppUrl: (url: string) => boolean; csp: string }): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!options.isAppUrl(details.url)) {
      callback({});
      return;
    }
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [options.csp] } });
  });
}

/**
 * The app's pages never navigate, open windows or attach webviews: its one page talks to the main process
 * over IPC and nothing else. https links open in the system browser; any other link goes nowhere.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
