import { contextBridge } from 'electron';

// The typed `window.triad` API generated from the IPC contract arrives with the desktop-app issue; until then
// the renderer only learns which runtime it is in. ipcRenderer itself is never exposed.
contextBridge.exposeInMainWorld('triad', { runtime: 'electron' as const });
