import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConversationSummary } from '../../../src-shared/ipc-contract';
import type { StreamPart } from '../../../src-shared/stream-parts';
import { toShownError } from '../../common/error-message';
import { checkPrompt } from '../../common/prompt-limit';
import type { StreamPartRouter } from '../../app/stream-part-router';
import type { TriadClient } from '../../transport/triad-client';
import { foldStreamParts, isSettled, pendingAnswer, type AnswerState } from '../answer/answer-state';
import type { FeedbackStore } from '../feedback/feedback-store';
import { requestForPick, type TierPick } from '../../common/tier-pick';
import { itemsFromTranscript, type ChatItem } from './chat-items';

/** The answer being streamed into the shown conversation. */
export interface ActiveStream {
  answerId: string;
  /** Null until chat.start answers. */
  streamId: string | null;
  /** Stop was pressed before the stream id was known: cancel as soon as it is. */
  stopRequested: boolean;
}

export interface ChatState {
  conversations: ConversationSummary[];
  listError: string | null;
  /** The shown conversation; null for a new one not yet sent. */
  conversationId: string | null;
  items: ChatItem[];
  loadingTranscript: boolean;
  transcriptError: string | null;
  pick: TierPick;
  draft: string;
  streaming: ActiveStream | null;
  loadConversations(): Promise<void>;
  /** Forgets what was shown (another operator's conversations) and reads the list again. */
  reload(): Promise<void>;
  openConversation(conversationId: string): Promise<void>;
  newConversation(): void;
  setDraft(draft: string): void;
  setPick(pick: TierPick): void;
  /** Sends the draft; false (and nothing sent) when it is empty, too long, or an answer is streaming. */
  send(): Promise<boolean>;
  stop(): void;
}

export type ChatStore = StoreApi<ChatState>;

export interface ChatStoreDeps {
  client: TriadClient;
  streams: StreamPartRouter;
  feedback: FeedbackStore;
}

export function createChatStore({ client, streams, feedback }: ChatStoreDeps): ChatStore {
  let nextId = 0;
  const localId = () => `local-${++nextId}`;
  // Bumped whenever the shown conversation changes, so answers to calls made for another one are dropped.
  let shown = 0;
  // Bumped on every list read, so a slow answer for an earlier operator cannot replace a newer list.
  let listRead = 0;

  return createStore<ChatState>()((set, get) => {
    const updateAnswer = (answerId: string, update: (answer: AnswerState) => AnswerState) =>
      set((state) => ({
        items: state.items.map((item) => (item.kind === 'answer' && item.id === answerId ? { ...item, answer: update(item.answer) } : item)),
      }));

    const onParts = (answerId: string, parts: StreamPart[]) => {
      updateAnswer(answerId, (answer) => foldStreamParts(answer, parts));
      const item = get().items.find((i) => i.id === answerId);
      if (item?.kind === 'answer' && isSettled(item.answer) && get().streaming?.answerId === answerId) {
        set({ streaming: null });
        // The list shows the new conversation, or moves this one to the top.
        void get().loadConversations();
      }
    };

    /** Stops the running answer before another conversation is shown; it is saved as stopped. */
    const leaveConversation = () => {
      get().stop();
      shown++;
      set({ streaming: null, transcriptError: null });
    };

    return {
      conversations: [],
      listError: null,
      conversationId: null,
      items: [],
      loadingTranscript: false,
      transcriptError: null,
      pick: 'auto',
      draft: '',
      streaming: null,

      loadConversations: async () => {
        const read = ++listRead;
        try {
          const conversations = await client.call('conversations.list', {});
          if (read === listRead) set({ conversations, listError: null });
        } catch (error) {
          if (read === listRead) set({ listError: toShownError(error).message });
        }
      },

      reload: async () => {
        leaveConversation();
        set({ conversationId: null, items: [], loadingTranscript: false, conversations: [], listError: null });
        await get().loadConversations();
      },

      openConversation: async (conversationId) => {
        leaveConversation();
        const view = shown;
        set({ conversationId, items: [], loadingTranscript: true });
        try {
          const turns = await client.call('conversations.transcript', { conversationId });
          if (view !== shown) return;
          const { items, feedback: saved } = itemsFromTranscript(turns);
          feedback.getState().seed(saved);
          set({ items, loadingTranscript: false });
        } catch (error) {
          if (view === shown) set({ loadingTranscript: false, transcriptError: toShownError(error).message });
        }
      },

      newConversation: () => {
        leaveConversation();
        set({ conversationId: null, items: [], loadingTranscript: false });
      },

      setDraft: (draft) => set({ draft }),
      setPick: (pick) => set({ pick }),

      send: async () => {
        const { draft, streaming, pick, conversationId } = get();
        const check = checkPrompt(draft);
        if (streaming || !check.ok) return false;
        const view = shown;
        const answerId = localId();
        set((state) => ({
          draft: '',
          items: [...state.items, { kind: 'prompt', id: localId(), text: check.text }, { kind: 'answer', id: answerId, picked: pick, answer: pendingAnswer() }],
          streaming: { answerId, streamId: null, stopRequested: false },
        }));
        try {
          const started = await client.call('chat.start', {
            prompt: check.text,
            ...requestForPick(pick),
            ...(conversationId ? { conversationId } : {}),
          });
          const stopRequested = get().streaming?.answerId === answerId && get().streaming?.stopRequested;
          if (view !== shown || stopRequested) void client.call('chat.cancel', { streamId: started.streamId }).catch(() => undefined);
          if (view !== shown) return true;
          set({ conversationId: started.conversationId, streaming: { answerId, streamId: started.streamId, stopRequested: false } });
          updateAnswer(answerId, (answer) => ({ ...answer, requestId: answer.requestId ?? started.requestId }));
          streams.follow(started.streamId, (parts) => onParts(answerId, parts));
          return true;
        } catch (error) {
          if (view !== shown) return true;
          const { code, message } = toShownError(error);
          updateAnswer(answerId, (answer) => ({ ...answer, status: 'failed', error: { code, message } }));
          set({ streaming: null });
          return true;
        }
      },

      stop: () => {
        const streaming = get().streaming;
        if (!streaming) return;
        if (!streaming.streamId) {
          set({ streaming: { ...streaming, stopRequested: true } });
          return;
        }
        // The answer ends with a `finish` part whose reason is `aborted`; that part clears `streaming`.
        void client.call('chat.cancel', { streamId: streaming.streamId }).catch(() => undefined);
      },
    };
  });
}
