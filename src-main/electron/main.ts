import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { createAppServices, type AppServices } from '../app-services';

// One Triad per user: a second instance would open the same PGlite folder, which corrupts it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: AppServices | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    // The renderer never navigates or opens windows; https links go to the system browser.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    services = await createAppServices({
      dataDir: app.getPath('userData'),
      cacheDir: app.getPath('sessionData'),
      logDestination: join(app.getPath('logs'), 'triad.log'),
    });
    window = new BrowserWindow({
      width: 1280,
      height: 820,
      title: 'Triad',
      webPreferences: {
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
    else await window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!services) return;
    event.preventDefault();
    const closing = services;
    services = undefined;
    void closing.close().finally(() => app.quit());
  });
}
