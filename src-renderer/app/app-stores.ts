import type { TriadClient } from '../transport/triad-client';
import { createChatStore, type ChatStore } from '../features/chat/chat-store';
import { createCompareStore, type CompareStore } from '../features/compare/compare-store';
import { createFeedbackStore, type FeedbackStore } from '../features/feedback/feedback-store';
import { createSettingsStore, type SettingsStore } from '../features/settings/settings-store';
import { createStatusStore, type StatusStore } from '../features/status/status-store';
import { StreamPartRouter } from './stream-part-router';

/** Every feature's store slice, built once over one client. */
export interface AppStores {
  chat: ChatStore;
  compare: CompareStore;
  feedback: FeedbackStore;
  settings: SettingsStore;
  status: StatusStore;
  dispose(): void;
}

/** The renderer's composition root: the client is injected, so tests and both transports wire the same way. */
export function createAppStores(client: TriadClient): AppStores {
  const streams = new StreamPartRouter(client);
  const feedback = createFeedbackStore(client);
  const status = createStatusStore(client);
  return {
    chat: createChatStore({ client, streams, feedback }),
    compare: createCompareStore({ client, streams }),
    feedback,
    // A flag change alters the status bar (provider, disabled tiers) but the main process announces no event for it.
    settings: createSettingsStore(client, { onFlagsChanged: () => void status.getState().refresh() }),
    status,
    dispose: () => streams.dispose(),
  };
}
