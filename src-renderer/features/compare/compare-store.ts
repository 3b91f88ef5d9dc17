import { createStore, type StoreApi } from 'zustand/vanilla';
import { TIERS, type Tier } from '../../../src-shared/domain';
import type { ChannelInput } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import { checkPrompt } from '../../common/prompt-limit';
import type { StreamPartRouter } from '../../app/stream-part-router';
import type { TriadClient } from '../../transport/triad-client';
import { foldStreamParts, isSettled, pendingAnswer, type AnswerState } from '../answer/answer-state';

/** The user's judgement of a comparison. */
export type CompareVerdict = ChannelInput<'compare.vote'>['verdict'];

/** One tier's answer in a comparison. */
export interface CompareColumn {
  tier: Tier;
  /** Null until compare.start answers. */
  streamId: string | null;
  answer: AnswerState;
}

/** The vote on a run: what was chosen and whether it is stored. */
export interface CompareVote {
  verdict: CompareVerdict;
  winnerRequestId: string | null;
  status: 'saving' | 'saved' | 'failed';
  error: string | null;
}

/** One prompt sent to several tiers. */
export interface CompareRun {
  /** Null until compare.start answers. */
  comparisonId: string | null;
  prompt: string;
  columns: CompareColumn[];
  vote: CompareVote | null;
}

export interface CompareState {
  draft: string;
  tiers: Tier[];
  run: CompareRun | null;
  startError: string | null;
  setDraft(draft: string): void;
  toggleTier(tier: Tier): void;
  /** Sends the draft to the chosen tiers; false (nothing sent) when the prompt or the choice is not valid. */
  start(): Promise<boolean>;
  stop(): void;
  /** Stops and forgets the shown comparison (another operator's). */
  clear(): void;
  vote(verdict: CompareVerdict, winnerRequestId: string | null): Promise<void>;
}

export type CompareStore = StoreApi<CompareState>;

/** Whether every column of a run has finished or failed, so a vote means something. */
export function runSettled(run: CompareRun | null): boolean {
  return !!run && run.comparisonId !== null && run.columns.every((column) => isSettled(column.answer));
}

/** Whether a run has columns still streaming. */
export function runStreaming(run: CompareRun | null): boolean {
  return !!run && run.columns.some((column) => !isSettled(column.answer));
}

export function createCompareStore({ client, streams }: { client: TriadClient; streams: StreamPartRouter }): CompareStore {
  // Each run gets a number; parts and answers of an older run are dropped.
  let runNumber = 0;
  // Stop pressed before compare.start answered: its streams are cancelled as soon as their ids are known.
  let stopRequestedFor = 0;

  return createStore<CompareState>()((set, get) => {
    const updateColumn = (run: number, tier: Tier, update: (column: CompareColumn) => CompareColumn) => {
      if (run !== runNumber) return;
      set((state) =>
        state.run ? { run: { ...state.run, columns: state.run.columns.map((column) => (column.tier === tier ? update(column) : column)) } } : {},
      );
    };

    return {
      draft: '',
      tiers: [...TIERS],
      run: null,
      startError: null,
      setDraft: (draft) => set({ draft }),
      toggleTier: (tier) =>
        set((state) => ({
          tiers: state.tiers.includes(tier) ? state.tiers.filter((t) => t !== tier) : TIERS.filter((t) => t === tier || state.tiers.includes(t)),
        })),

      start: async () => {
        const { draft, tiers, run } = get();
        const check = checkPrompt(draft);
        if (!check.ok || tiers.length < 2 || runStreaming(run)) return false;
        const thisRun = ++runNumber;
        set({
          startError: null,
          run: { comparisonId: null, prompt: check.text, columns: tiers.map((tier) => ({ tier, streamId: null, answer: pendingAnswer() })), vote: null },
        });
        try {
          const started = await client.call('compare.start', { prompt: check.text, tiers });
          if (thisRun !== runNumber || stopRequestedFor === thisRun) {
            for (const column of started.columns) void client.call('chat.cancel', { streamId: column.streamId }).catch(() => undefined);
          }
          if (thisRun !== runNumber) return true;
          set((state) => ({
            run: state.run && {
              ...state.run,
              comparisonId: started.comparisonId,
              columns: state.run.columns.map((column) => {
                const match = started.columns.find((c) => c.tier === column.tier);
                return match ? { ...column, streamId: match.streamId, answer: { ...column.answer, requestId: match.requestId } } : column;
              }),
            },
          }));
          for (const column of started.columns) {
            streams.follow(column.streamId, (parts) => updateColumn(thisRun, column.tier, (c) => ({ ...c, answer: foldStreamParts(c.answer, parts) })));
          }
          return true;
        } catch (error) {
          if (thisRun === runNumber) set({ run: null, startError: toShownError(error).message });
          return true;
        }
      },

      stop: () => {
        stopRequestedFor = runNumber;
        for (const column of get().run?.columns ?? []) {
          if (column.streamId && !isSettled(column.answer)) void client.call('chat.cancel', { streamId: column.streamId }).catch(() => undefined);
        }
      },

      clear: () => {
        get().stop();
        runNumber++;
        set({ run: null, startError: null });
      },

      vote: async (verdict, winnerRequestId) => {
        const run = get().run;
        if (!run?.comparisonId || !runSettled(run)) return;
        const thisRun = runNumber;
        const setVote = (vote: CompareVote) => {
          if (thisRun === runNumber) set((state) => (state.run ? { run: { ...state.run, vote } } : {}));
        };
        setVote({ verdict, winnerRequestId, status: 'saving', error: null });
        try {
          await client.call('compare.vote', { comparisonId: run.comparisonId, verdict, winnerRequestId });
          setVote({ verdict, winnerRequestId, status: 'saved', error: null });
        } catch (error) {
          setVote({ verdict, winnerRequestId, status: 'failed', error: toShownError(error).message });
        }
      },
    };
  });
}
