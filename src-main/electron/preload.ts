import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, EventName } from '../../src-shared/ipc-contract';
import type { TriadBridge } from '../../src-renderer/transport/triad-bridge';
import { EVENT_CHANNEL, ipcChannelOf } from './ipc-channels';

// The contract's names, spelt out rather than imported: importing CHANNEL_NAMES would bundle zod and every
// schema into the preload. The Record types make the compiler reject a missing or an unknown name.
const CHANNELS: Record<Channel, true> = {
  'chat.start': true,
  'chat.cancel': true,
  'conversations.list': true,
  'conversations.transcript': true,
  'compare.start': true,
  'compare.vote': true,
  'feedback.save': true,
  'settings.get': true,
  'settings.setFlag': true,
  'settings.saveSpace': true,
  'settings.saveLocalModels': true,
  'settings.saveOpenAi': true,
  'settings.saveContentFilter': true,
  'settings.setCompanyContext': true,
  'settings.removeDemoWorkspace': true,
  'secrets.set': true,
  'secrets.clear': true,
  'status.get': true,
  'team.get': true,
  'team.configure': true,
  'team.testConnection': true,
  'team.signIn': true,
  'team.signOut': true,
  'review.list': true,
  'review.detail': true,
  'review.label': true,
  'review.bulkLabel': true,
  'review.queues.list': true,
  'review.queues.save': true,
  'review.queues.delete': true,
  'datasets.preview': true,
  'datasets.build': true,
  'datasets.push': true,
  'datasets.list': true,
  'leaderboard.get': true,
  'training.hardware': true,
  'training.launch': true,
  'training.list': true,
  'training.get': true,
  'training.cancel': true,
  'evaluation.list': true,
  'evaluation.start': true,
  'evaluation.get': true,
  'evaluation.judge': true,
  'evaluation.cancel': true,
  'evaluation.report': true,
  'deploy.dashboard': true,
  'deploy.models': true,
  'deploy.start': true,
  'deploy.rollback': true,
  'deploy.history': true,
  'deploy.requestStats': true,
  'router.status': true,
  'router.train': true,
  'router.evaluate': true,
};
const EVENTS: Record<EventName, true> = { 'chat.part': true, 'status.changed': true, 'team.changed': true, 'datasets.pushProgress': true, 'datasets.buildProgress': true, 'training.changed': true, 'evaluation.changed': true, 'evaluation.answer': true, 'deploy.changed': true };

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// Listeners get the payload only, never Electron's event object (which would reach ipcRenderer).
ipcRenderer.on(EVENT_CHANNEL, (_event, message: { event: string; payload: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (error) {
      console.error(`a listener of '${message.event}' failed`, error);
    }
  }
});

const calls = Object.fromEntries(
  (Object.keys(CHANNELS) as Channel[]).map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(ipcChannelOf(channel), input)]),
) as { [C in Channel]: TriadBridge[C] };

const triad: TriadBridge = {
  ...calls,
  runtime: 'electron',
  on(event, listener) {
    if (typeof event !== 'string' || !Object.hasOwn(EVENTS, event)) throw new Error(`unknown event '${String(event)}'`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener as Listener);
    };
  },
};

contextBridge.exposeInMainWorld('triad', triad);
