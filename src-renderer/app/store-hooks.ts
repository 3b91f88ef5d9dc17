import { useStore } from 'zustand';
import type { ChatState } from '../features/chat/chat-store';
import type { CompareState } from '../features/compare/compare-store';
import type { FeedbackState } from '../features/feedback/feedback-store';
import type { SettingsState } from '../features/settings/settings-store';
import type { StatusState } from '../features/status/status-store';
import type { TeamState } from '../features/team/team-store';
import { useStores } from './stores-context';

// One hook per slice. Selectors must return stable values (a field, or an object wrapped in useShallow):
// zustand 5 re-renders forever on a selector that builds a new object each time.

export const useChat = <T>(selector: (state: ChatState) => T): T => useStore(useStores().chat, selector);
export const useCompare = <T>(selector: (state: CompareState) => T): T => useStore(useStores().compare, selector);
export const useFeedback = <T>(selector: (state: FeedbackState) => T): T => useStore(useStores().feedback, selector);
export const useSettings = <T>(selector: (state: SettingsState) => T): T => useStore(useStores().settings, selector);
export const useStatus = <T>(selector: (state: StatusState) => T): T => useStore(useStores().status, selector);
export const useTeam = <T>(selector: (state: TeamState) => T): T => useStore(useStores().team, selector);
