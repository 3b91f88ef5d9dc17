import { BrowserWindow } from 'electron';

/** The app's one window: sandboxed, isolated, no Node, only the preload's `window.triad`. */
export function createMainWindow(preloadPath: string): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Triad',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
}
