import { join } from 'node:path';
import { app, dialog, ipcMain, safeStorage, session, type BrowserWindow } from 'electron';
import { createTriadApi, type TriadApi } from '../api/triad-api';
import { createAppServices, type AppServices } from '../app-services';
import { defaultAppPaths } from '../config/app-paths';
import { desktopSecretStore } from '../secrets/desktop-secret-store';
import { RENDERER_CSP } from '../server/content-security-policy';
import { APP_ORIGIN, appUrlCheck } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { bindIpc, type IpcBinding } from './ipc-binding';
import { hardenSession, hardenWebContents } from './security';
import { createMainWindow } from './window';

// One Triad per user: a second instance would open the same PGlite folder, which corrupts it.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // electron-vite dev serves the renderer itself; a packaged app ignores the variable.
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const isAppUrl = appUrlCheck(devServerUrl);
  let services: AppServices | undefined;
  let api: TriadApi | undefined;
  let binding: IpcBinding | undefined;
  let window: BrowserWindow | undefined;

  app.enableSandbox();
  registerAppScheme();

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, { isAppUrl, csp: RENDERER_CSP });
      serveRenderer(session.defaultSession, join(import.meta.dirname, '../renderer'));
      // The same folders as browser mode (and TRIAD_DATA_DIR / TRIAD_CACHE_DIR), so either shows the same
      // conversations and the default model is downloaded once. The PGlite lock keeps them from running at once.
      const paths = defaultAppPaths();
      services = await createAppServices({
        dataDir: paths.dataDir,
        cacheDir: paths.cacheDir,
        logDestination: join(app.getPath('logs'), 'triad.log'),
        // keytar is built for Node's ABI and cannot load here: Electron's safeStorage keeps the keys instead
        // (ciphertexts in the data folder, the key in the OS keychain), after importing what browser mode saved.
        secrets: (redactor) => desktopSecretStore({ safeStorage, dataDir: paths.dataDir, redactor }),
      });
      const logger = services.logger;
      api = createTriadApi(services, { broadcast: (event, payload) => binding?.broadcast(event, payload) });
      binding = bindIpc(ipcMain, api, { isAppUrl, onRefused: (url) => logger.warn({ url }, 'refused IPC from a frame outside the app') });
      window = createMainWindow(join(import.meta.dirname, '../preload/index.cjs'));
      await window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Triad could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!services) return;
    event.preventDefault();
    const closing = services;
    services = undefined;
    binding?.dispose();
    api?.close();
    void closing.close().finally(() => app.quit());
  });
}
