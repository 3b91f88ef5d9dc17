import { CHANNEL_NAMES, type CallResult, type EventName, type EventPayload } from '../../src-shared/ipc-contract';
import type { Caller } from '../api/api-context';
import type { TriadApi } from '../api/triad-api';
import { EVENT_CHANNEL, ipcChannelOf } from './ipc-channels';

/**
 * The parts of Electron the binding uses, so that it runs and is tested in plain Node: `ipcMain`, the
 * invoking event, its WebContents and frame. Electron's own objects satisfy these interfaces.
 */
export interface IpcFrame {
  readonly url: string;
  /** Null for a window's main frame. */
  readonly parent: unknown;
}
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: () => void): unknown;
}
export interface IpcInvokeEvent {
  readonly sender: IpcSender;
  readonly senderFrame: IpcFrame | null;
}
export interface IpcHandlers {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The bound contract: broadcasts to every window that has called, and unbinds. */
export interface IpcBinding {
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  dispose(): void;
}

/**
 * Registers one `ipcMain.handle` per channel of the contract. A call is answered only when it comes from
 * the main frame of a page on the app's own origin (`isAppUrl`); anything else (a subframe, a page that
 * somehow navigated elsewhere) gets a `forbidden` envelope. The raw payload goes to `api.call`, which
 * validates it and never throws. Each WebContents is one client: its stream parts go to it alone, and when
 * it is destroyed, crashes or loads a new page (a reload), its streams are cancelled.
 */
export function bindIpc(ipc: IpcHandlers, api: TriadApi, options: { isAppUrl: (url: string) => boolean; onRefused?: (url: string | undefined) => void }): IpcBinding {
  const clients = new Map<number, IpcSender>();

  const callerFor = (sender: IpcSender): Caller => {
    const clientId = `webcontents-${sender.id}`;
    if (!clients.has(sender.id)) {
      clients.set(sender.id, sender);
      sender.once('destroyed', () => {
        clients.delete(sender.id);
        api.disconnect(clientId);
      });
      // A crash or a reload: the page that started the streams is gone, the window stays a client.
      sender.on('render-process-gone', () => api.disconnect(clientId));
      sender.on('did-navigate', () => api.disconnect(clientId));
    }
    return {
      clientId,
      emit: (event, payload) => {
        if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, { event, payload });
      },
    };
  };

  for (const channel of CHANNEL_NAMES) {
    ipc.handle(ipcChannelOf(channel), async (event, payload): Promise<CallResult<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !options.isAppUrl(frame.url)) {
        options.onRefused?.(frame?.url);
        return { ok: false, error: { code: 'forbidden', message: 'IPC is answered only for the main frame of the app page', retryable: false } };
      }
      return api.call(channel, payload, callerFor(event.sender));
    });
  }

  return {
    broadcast(event, payload) {
      for (const sender of clients.values()) if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, { event, payload });
    },
    dispose() {
      for (const channel of CHANNEL_NAMES) ipc.removeHandler(ipcChannelOf(channel));
    },
  };
}
