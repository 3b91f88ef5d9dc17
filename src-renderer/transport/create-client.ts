import { createElectronClient } from './electron-client';
import { createHttpClient } from './http-client';
import type { TriadClient } from './triad-client';

/** The desktop app's preload sets `window.triad`; without it the page was served by browser mode. */
export function createTriadClient(): TriadClient {
  return window.triad ? createElectronClient(window.triad) : createHttpClient();
}
