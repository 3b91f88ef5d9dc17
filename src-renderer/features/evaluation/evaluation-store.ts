import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeployableModel } from '../../../src-shared/deploy-contract';
import type { BlindVerdict, CandidateSource, EvaluationReport, EvaluationRunDetail, EvaluationRunView } from '../../../src-shared/evaluation-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';
import { acceptsVerdicts, firstToJudge, isJudgeable, laterRun, nextToJudge, withDelta, type StreamedText } from './evaluation-items';

/** How many eval examples the form starts with: every pair is judged by hand, and 20 is one sitting. */
export const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1_000;

/** What the start form asks for. */
export interface EvaluationForm {
  /** A registered model version's id. */
  modelId: string;
  candidate: CandidateSource;
  /** As typed, so a half-typed number is not lost. */
  limit: string;
}

export interface EvaluationState {
  form: EvaluationForm;
  /** Registered model versions that can be evaluated, newest first. */
  models: DeployableModel[];
  /** Why they could not be read. */
  modelsError: string | null;
  /** Newest first. */
  runs: EvaluationRunView[];
  listError: string | null;
  starting: boolean;
  startError: string | null;
  selectedRunId: string | null;
  detail: EvaluationRunDetail | null;
  detailError: string | null;
  /** Text streamed by the sides still answering. */
  streamed: StreamedText;
  /** The item the judging view shows (an index into `detail.items`). */
  cursor: number;
  judgeError: string | null;
  /**
   * The selected run's report as it stands: the stored one once completed, else computed from the verdicts so
   * far (which the page keeps from whoever is still judging: see run-detail.tsx).
   */
  report: EvaluationReport | null;
  reportError: string | null;
  cancelling: boolean;
  cancelError: string | null;
  /** Reads the runs and (for those who may evaluate) the registered model versions. */
  load(options: { canEvaluate: boolean }): Promise<void>;
  setForm(change: Partial<EvaluationForm>): void;
  start(): Promise<void>;
  select(runId: string | null): Promise<void>;
  /** Moves the judging view by `delta` items (clamped). */
  move(delta: number): void;
  /** The operator's verdict on the item shown; the view then moves on to the next one left to judge. */
  judge(verdict: BlindVerdict): Promise<void>;
  cancel(): Promise<void>;
  /** Forgets what was read: another operator is signed in. */
  reset(): void;
  /** Follows `evaluation.changed` and `evaluation.answer`; returns the unsubscribe function. */
  follow(): () => void;
}

export type EvaluationStore = StoreApi<EvaluationState>;

/** The limit as a whole number in range, or why not. */
export function parseLimit(text: string): { limit: number } | { error: string } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    return { error: `eval examples: must be a whole number from 1 to ${MAX_LIMIT}, got '${text}'` };
  }
  return { limit: value };
}

export function createEvaluationStore(client: TriadClient): EvaluationStore {
  // A slower answer for a run chosen earlier must not replace what is shown for the run chosen now.
  let latestDetail = 0;
  let latestReport = 0;
  return createStore<EvaluationState>((set, get) => {
    const readReport = async (runId: string) => {
      const call = ++latestReport;
      try {
        const report = await client.call('evaluation.report', { runId });
        // The stored report of a run that completed meanwhile is the final word.
        if (call === latestReport && get().selectedRunId === runId && !get().detail?.report) set({ report, reportError: null });
      } catch (error) {
        if (call === latestReport && get().selectedRunId === runId) set({ reportError: toShownError(error).message });
      }
    };

    const readDetail = async (runId: string, { resetCursor }: { resetCursor: boolean }) => {
      const call = ++latestDetail;
      try {
        const detail = await client.call('evaluation.get', { runId });
        if (call !== latestDetail || get().selectedRunId !== runId) return;
        // An event may have brought a later view of the run while the items were read.
        const known = get().runs.find((r) => r.id === runId);
        const run = laterRun(known, detail);
        const merged = { ...detail, ...run, items: detail.items };
        // Verdicts given while the read was under way are the operator's latest word.
        const previous = get().detail;
        if (previous?.id === runId) {
          const given = new Map(previous.items.map((item) => [item.id, item.verdict]));
          merged.items = merged.items.map((item) => (item.verdict === null && given.get(item.id) ? { ...item, verdict: given.get(item.id)! } : item));
        }
        const cursor = resetCursor ? firstToJudge(merged.items) : Math.min(get().cursor, Math.max(0, merged.items.length - 1));
        set({ detail: merged, detailError: null, cursor, ...(merged.report && { report: merged.report }) });
      } catch (error) {
        if (call === latestDetail) set({ detailError: toShownError(error).message });
      }
    };

    // Answers finishing in a burst (both Spaces, many prompts) cost one read at a time, and one more for all that
    // finished during it, instead of a read each.
    let rereading: { runId: string; again: boolean } | null = null;
    const rereadDetail = (runId: string) => {
      if (rereading?.runId === runId) {
        rereading.again = true;
        return;
      }
      const current = (rereading = { runId, again: false });
      void (async () => {
        do {
          current.again = false;
          await readDetail(runId, { resetCursor: false });
        } while (current.again && get().selectedRunId === runId);
        if (rereading === current) rereading = null;
      })();
    };

    const upsert = (view: EvaluationRunView) => {
      const runs = get().runs;
      const index = runs.findIndex((r) => r.id === view.id);
      const next = index === -1 ? [view, ...runs] : runs.map((r, i) => (i === index ? laterRun(r, view) : r));
      set({ runs: next });
      const detail = get().detail;
      if (detail?.id !== view.id) return;
      const run = laterRun<EvaluationRunView>(detail, view);
      if (run === detail) return;
      set({ detail: { ...detail, ...run, items: detail.items }, ...(run.report && { report: run.report }) });
      // A side finished answering (the event carries counts, not items) or the run ended: read its items again.
      if (run.answered !== detail.answered || run.status !== detail.status) rereadDetail(view.id);
      // A verdict was recorded (here or by another operator): the report so far changed.
      if (run.judged !== detail.judged && !run.report) void readReport(view.id);
    };

    return {
      form: { modelId: '', candidate: 'staging', limit: String(DEFAULT_LIMIT) },
      models: [],
      modelsError: null,
      runs: [],
      listError: null,
      starting: false,
      startError: null,
      selectedRunId: null,
      detail: null,
      detailError: null,
      streamed: {},
      cursor: 0,
      judgeError: null,
      report: null,
      reportError: null,
      cancelling: false,
      cancelError: null,

      async load({ canEvaluate }) {
        const models = canEvaluate
          ? client.call('deploy.models', {}).then(
              (list) => {
                const form = get().form;
                const known = list.some((m) => m.id === form.modelId);
                set({ models: list, modelsError: null, ...(!known && list[0] && { form: { ...form, modelId: list[0].id, candidate: 'staging' as const } }) });
              },
              (error: unknown) => set({ models: [], modelsError: toShownError(error).message }),
            )
          : Promise.resolve();
        const runs = client.call('evaluation.list', {}).then(
          (list) => {
            const known = get().runs;
            const listed = new Set(list.map((r) => r.id));
            // Runs announced while the list was read (a start a moment ago) stay, and the later view of each wins.
            const announced = known.filter((r) => !listed.has(r.id));
            set({ runs: [...announced, ...list.map((r) => laterRun(known.find((k) => k.id === r.id), r))], listError: null });
          },
          (error: unknown) => set({ listError: toShownError(error).message }),
        );
        await Promise.all([models, runs]);
      },

      setForm: (change) => set({ form: { ...get().form, ...change } }),

      async start() {
        const form = get().form;
        if (!form.modelId) {
          set({ startError: 'model version: pick a registered model version to evaluate' });
          return;
        }
        const parsed = parseLimit(form.limit);
        if ('error' in parsed) {
          set({ startError: parsed.error });
          return;
        }
        set({ starting: true, startError: null });
        try {
          const run = await client.call('evaluation.start', { modelId: form.modelId, candidate: form.candidate, limit: parsed.limit });
          upsert(run);
          set({ starting: false });
          await get().select(run.id);
        } catch (error) {
          set({ starting: false, startError: toShownError(error).message });
        }
      },

      async select(runId) {
        set({
          selectedRunId: runId,
          judgeError: null,
          cancelError: null,
          detailError: null,
          reportError: null,
          ...(get().detail?.id !== runId && { detail: null, report: null, cursor: 0 }),
        });
        if (runId === null) return;
        const run = get().runs.find((r) => r.id === runId);
        await Promise.all([readDetail(runId, { resetCursor: true }), run && !run.report && run.judged > 0 ? readReport(runId) : Promise.resolve()]);
      },

      move(delta) {
        const items = get().detail?.items ?? [];
        if (items.length === 0) return;
        set({ cursor: Math.min(items.length - 1, Math.max(0, get().cursor + delta)), judgeError: null });
      },

      async judge(verdict) {
        const detail = get().detail;
        const index = get().cursor;
        const item = detail?.items[index];
        if (!detail || !item) return;
        if (!acceptsVerdicts(detail)) {
          set({ judgeError: `This run is ${detail.status}: it takes no more verdicts.` });
          return;
        }
        if (!isJudgeable(item)) {
          set({ judgeError: item.a?.error || item.b?.error ? 'One side failed to answer this prompt: it cannot be judged and is left out of the report.' : 'Both answers must finish before this prompt can be judged.' });
          return;
        }
        const previous = item.verdict;
        const withVerdict = (v: BlindVerdict | null) => (d: EvaluationRunDetail) => ({ ...d, items: d.items.map((i) => (i.id === item.id ? { ...i, verdict: v } : i)) });
        // The verdict shows and the view moves on at once, so a run of key presses judges a run of prompts.
        const shown = withVerdict(verdict)(detail);
        set({ detail: shown, cursor: nextToJudge(shown.items, index), judgeError: null });
        try {
          const saved = await client.call('evaluation.judge', { runId: detail.id, itemId: item.id, verdict });
          const now = get().detail;
          if (now?.id === detail.id) set({ detail: { ...now, items: now.items.map((i) => (i.id === saved.id ? { ...saved, verdict: i.verdict ?? saved.verdict } : i)) } });
        } catch (error) {
          const now = get().detail;
          if (now?.id !== detail.id) return;
          set({ detail: withVerdict(previous)(now), cursor: index, judgeError: `Verdict on prompt ${item.position + 1} not saved: ${toShownError(error).message}` });
        }
      },

      async cancel() {
        const runId = get().selectedRunId;
        if (!runId) return;
        set({ cancelling: true, cancelError: null });
        try {
          upsert(await client.call('evaluation.cancel', { runId }));
          set({ cancelling: false });
        } catch (error) {
          set({ cancelling: false, cancelError: toShownError(error).message });
        }
      },

      reset: () =>
        set({ models: [], modelsError: null, runs: [], listError: null, startError: null, selectedRunId: null, detail: null, detailError: null, streamed: {}, cursor: 0, judgeError: null, report: null, reportError: null, cancelError: null }),

      follow() {
        const stopChanged = client.on('evaluation.changed', upsert);
        const stopAnswer = client.on('evaluation.answer', ({ itemId, side, textDelta }) => set({ streamed: withDelta(get().streamed, itemId, side, textDelta) }));
        return () => {
          stopChanged();
          stopAnswer();
        };
      },
    };
  });
}
