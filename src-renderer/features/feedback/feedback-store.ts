import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, FeedbackView } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** Feedback as the UI edits it: everything but the request id. */
export type FeedbackFields = Omit<ChannelInput<'feedback.save'>, 'requestId'>;

/** The feedback slice: the user's saved feedback per answer (request id), and how each save went. */
export interface FeedbackState {
  byRequest: Record<string, FeedbackView>;
  saving: Record<string, boolean>;
  errors: Record<string, string | undefined>;
  /** Feedback read back from a transcript. */
  seed(feedback: FeedbackView[]): void;
  /** Saves a change to some fields; the others keep their saved values. Resolves true when saved. */
  save(requestId: string, change: Partial<FeedbackFields>): Promise<boolean>;
}

const EMPTY: FeedbackFields = { thumbs: null, rating: null, comment: null, correctedAnswer: null };

/** The answer's log row is written just after its `finish` part, so a very quick first save can miss it. */
const NOT_LOGGED_YET = /^requestId: no answer/;
const RETRY_DELAYS_MS = [150, 400, 1_000];

export type FeedbackStore = StoreApi<FeedbackState>;

export function createFeedbackStore(client: TriadClient, options: { sleep?: (ms: number) => Promise<void> } = {}): FeedbackStore {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const saveWithRetry = async (input: ChannelInput<'feedback.save'>): Promise<FeedbackView> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.call('feedback.save', input);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        const shown = toShownError(error);
        if (delay === undefined || shown.code !== 'validation_failed' || !NOT_LOGGED_YET.test(shown.message)) throw error;
        await sleep(delay);
      }
    }
  };

  return createStore<FeedbackState>()((set, get) => ({
    byRequest: {},
    saving: {},
    errors: {},
    seed: (feedback) =>
      set((state) => ({ byRequest: { ...state.byRequest, ...Object.fromEntries(feedback.map((f) => [f.requestId, f])) } })),
    save: async (requestId, change) => {
      const current = get().byRequest[requestId];
      const fields: FeedbackFields = current
        ? { thumbs: current.thumbs, rating: current.rating, comment: current.comment, correctedAnswer: current.correctedAnswer }
        : EMPTY;
      set((state) => ({ saving: { ...state.saving, [requestId]: true }, errors: { ...state.errors, [requestId]: undefined } }));
      try {
        const saved = await saveWithRetry({ requestId, ...fields, ...change });
        set((state) => ({ byRequest: { ...state.byRequest, [requestId]: saved }, saving: { ...state.saving, [requestId]: false } }));
        return true;
      } catch (error) {
        set((state) => ({ saving: { ...state.saving, [requestId]: false }, errors: { ...state.errors, [requestId]: toShownError(error).message } }));
        return false;
      }
    },
  }));
}
