import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Tier } from '../../../src-shared/domain';
import { parseDuration, TrainingParamsSchema } from '../../../src-shared/training';
import { FINAL_TRAINING_STAGES, type TrainingFlavor, type TrainingRunDetail, type TrainingRunView } from '../../../src-shared/training-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** The base model the form starts with: small enough to fine-tune on one A10G in minutes. */
export const DEFAULT_BASE_MODEL = 'Qwen/Qwen2.5-0.5B-Instruct';
/** The flavor the form starts with when the Hub offers it. */
const DEFAULT_FLAVOR = 'a10g-small';

/** The hyper-parameters as the form edits them: numbers as typed, so a half-typed value is not lost. */
export type TrainingParamsForm = Record<'epochs' | 'maxSteps' | 'learningRate' | 'batchSize' | 'gradAccum' | 'maxLength' | 'beta' | 'loraR' | 'loraAlpha', string> & {
  lora: boolean;
  gguf: boolean;
};

/** What the launch form asks for. */
export interface TrainingForm {
  /** `owner/name@commit`. */
  dataset: string;
  tier: Tier;
  baseModel: string;
  kind: 'sft' | 'dpo';
  flavor: string;
  /** As typed: `2h`, `90m`, `3600`. */
  timeout: string;
  params: TrainingParamsForm;
}

/** A pushed dataset version the form can start from. */
export interface PushedDataset {
  version: string;
  tier: Tier;
  kind: 'sft' | 'dpo';
  label: string;
}

export interface TrainingState {
  form: TrainingForm;
  flavors: TrainingFlavor[];
  /** Why the hardware list could not be read. */
  flavorsError: string | null;
  /** Pushed dataset versions, newest first. */
  datasets: PushedDataset[];
  /** Newest first. */
  runs: TrainingRunView[];
  listError: string | null;
  launching: boolean;
  launchError: string | null;
  selectedRunId: string | null;
  detail: TrainingRunDetail | null;
  detailError: string | null;
  cancelling: boolean;
  cancelError: string | null;
  /** Reads the hardware, the runs and (for those who may train) the pushed datasets. */
  load(options: { canTrain: boolean }): Promise<void>;
  setForm(change: Partial<Omit<TrainingForm, 'params'>>): void;
  setParams(change: Partial<TrainingParamsForm>): void;
  /** Fills the form from a pushed dataset version (its tier and kind too). */
  pickDataset(version: string): void;
  launch(): Promise<void>;
  select(runId: string | null): Promise<void>;
  /** Reads the selected run again (its hardware samples arrive without events). */
  refreshDetail(): Promise<void>;
  cancel(): Promise<void>;
  /** Forgets what was read: another operator is signed in. */
  reset(): void;
  /** Follows `training.changed`; returns the unsubscribe function. */
  follow(): () => void;
}

export type TrainingStore = StoreApi<TrainingState>;

const PARAM_DEFAULTS = TrainingParamsSchema.parse({});

function defaultForm(): TrainingForm {
  return {
    dataset: '',
    tier: 'company',
    baseModel: DEFAULT_BASE_MODEL,
    kind: 'sft',
    flavor: '',
    timeout: '2h',
    params: {
      epochs: String(PARAM_DEFAULTS.epochs),
      maxSteps: String(PARAM_DEFAULTS.maxSteps),
      // Blank: the script's default for the kind (2e-5 for SFT, 5e-7 for DPO).
      learningRate: '',
      batchSize: String(PARAM_DEFAULTS.batchSize),
      gradAccum: String(PARAM_DEFAULTS.gradAccum),
      maxLength: String(PARAM_DEFAULTS.maxLength),
      beta: String(PARAM_DEFAULTS.beta),
      loraR: String(PARAM_DEFAULTS.loraR),
      loraAlpha: String(PARAM_DEFAULTS.loraAlpha),
      lora: PARAM_DEFAULTS.lora,
      gguf: PARAM_DEFAULTS.gguf,
    },
  };
}

/** Whether a run can still change. */
export const isRunFinished = (run: Pick<TrainingRunView, 'stage'>) => FINAL_TRAINING_STAGES.has(run.stage);

/** How long the job has run (0 before it started). */
export function elapsedMs(run: Pick<TrainingRunView, 'startedAt' | 'finishedAt'>, now: number): number {
  if (!run.startedAt) return 0;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, end - Date.parse(run.startedAt));
}

/** What the run has cost so far (or in all): its hourly price for the time it ran; null when the price is unknown. */
export function costSoFarUsd(run: Pick<TrainingRunView, 'startedAt' | 'finishedAt' | 'priceUsdPerHour'>, now: number): number | null {
  return run.priceUsdPerHour === null ? null : (elapsedMs(run, now) / 3_600_000) * run.priceUsdPerHour;
}

/** The most a launch can cost: the flavor's hourly price for the whole timeout; null when either is unknown. */
export function maxCostUsd(flavor: TrainingFlavor | undefined, timeout: string): number | null {
  const seconds = parseDuration(timeout);
  if (!flavor || seconds === undefined) return null;
  return (flavor.usdPerHour * seconds) / 3600;
}

/** Keeps the later of two views of one run: a launch's answer can arrive after the events that followed it. */
function later(known: TrainingRunView | undefined, incoming: TrainingRunView): TrainingRunView {
  if (!known) return incoming;
  if (incoming.stageHistory.length !== known.stageHistory.length) return incoming.stageHistory.length > known.stageHistory.length ? incoming : known;
  return incoming.progress.length >= known.progress.length ? incoming : known;
}

/** The form's hyper-parameters as the launch takes them; a field that is not a number is named. */
function paramsOf(form: TrainingParamsForm): { params: Record<string, number | boolean> } | { error: string } {
  const params: Record<string, number | boolean> = { lora: form.lora, gguf: form.gguf };
  for (const key of ['epochs', 'maxSteps', 'learningRate', 'batchSize', 'gradAccum', 'maxLength', 'beta', 'loraR', 'loraAlpha'] as const) {
    const text = form[key].trim();
    if (text === '' && key === 'learningRate') continue;
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) return { error: `${key}: must be a number, got '${form[key]}'` };
    params[key] = value;
  }
  return { params };
}

export function createTrainingStore(client: TriadClient): TrainingStore {
  // A slower answer for a run chosen earlier must not replace the detail of the run chosen now.
  let latestDetail = 0;
  return createStore<TrainingState>((set, get) => {
    const upsert = (view: TrainingRunView) => {
      const runs = get().runs;
      const index = runs.findIndex((r) => r.id === view.id);
      const next = index === -1 ? [view, ...runs] : runs.map((r, i) => (i === index ? later(r, view) : r));
      const detail = get().detail;
      set({ runs: next, ...(detail?.id === view.id && { detail: { ...later(detail, view), metrics: detail.metrics } }) });
    };

    return {
      form: defaultForm(),
      flavors: [],
      flavorsError: null,
      datasets: [],
      runs: [],
      listError: null,
      launching: false,
      launchError: null,
      selectedRunId: null,
      detail: null,
      detailError: null,
      cancelling: false,
      cancelError: null,

      async load({ canTrain }) {
        const hardware = canTrain
          ? client.call('training.hardware', {}).then(
              (flavors) => {
                const form = get().form;
                const flavor = form.flavor || (flavors.find((f) => f.name === DEFAULT_FLAVOR) ?? flavors[0])?.name || '';
                set({ flavors, flavorsError: null, form: { ...form, flavor } });
              },
              (error: unknown) => set({ flavorsError: toShownError(error).message }),
            )
          : Promise.resolve();
        const datasets = canTrain
          ? client.call('datasets.list', {}).then(
              (versions) => {
                const pushed = versions
                  .filter((v) => v.status === 'pushed' && v.repo && v.commitSha)
                  .map((v) => ({ version: `${v.repo}@${v.commitSha}`, tier: v.tier, kind: v.kind, label: `${v.repo}@${v.commitSha!.slice(0, 7)} · ${v.tier} ${v.kind.toUpperCase()} · ${v.train} train` }));
                set({ datasets: pushed });
                if (!get().form.dataset && pushed[0]) get().pickDataset(pushed[0].version);
              },
              // Without the list the version is typed by hand; the form still works.
              () => set({ datasets: [] }),
            )
          : Promise.resolve();
        const runs = client.call('training.list', {}).then(
          (list) => {
            const known = get().runs;
            const listed = new Set(list.map((r) => r.id));
            // Runs announced while the list was read (a launch a moment ago) stay, and the later view of each wins.
            const announced = known.filter((r) => !listed.has(r.id));
            set({ runs: [...announced, ...list.map((r) => later(known.find((k) => k.id === r.id), r))], listError: null });
          },
          (error: unknown) => set({ listError: toShownError(error).message }),
        );
        await Promise.all([hardware, datasets, runs]);
      },

      setForm: (change) => set({ form: { ...get().form, ...change } }),
      setParams: (change) => set({ form: { ...get().form, params: { ...get().form.params, ...change } } }),
      pickDataset(version) {
        const pushed = get().datasets.find((d) => d.version === version);
        set({ form: { ...get().form, dataset: version, ...(pushed && { tier: pushed.tier, kind: pushed.kind }) } });
      },

      async launch() {
        const form = get().form;
        const timeoutSeconds = parseDuration(form.timeout);
        if (timeoutSeconds === undefined) {
          set({ launchError: `timeout: must be a duration like 90m, 2h or 3600 (seconds), got '${form.timeout}'` });
          return;
        }
        const parsed = paramsOf(form.params);
        if ('error' in parsed) {
          set({ launchError: parsed.error });
          return;
        }
        set({ launching: true, launchError: null });
        try {
          const run = await client.call('training.launch', {
            dataset: form.dataset,
            tier: form.tier,
            baseModel: form.baseModel.trim(),
            kind: form.kind,
            flavor: form.flavor,
            timeoutSeconds,
            params: parsed.params,
          });
          upsert(run);
          set({ launching: false });
          await get().select(run.id);
        } catch (error) {
          set({ launching: false, launchError: toShownError(error).message });
        }
      },

      async select(runId) {
        const call = ++latestDetail;
        set({ selectedRunId: runId, cancelError: null, detailError: null, ...(get().detail?.id !== runId && { detail: null }) });
        if (runId === null) return;
        try {
          const detail = await client.call('training.get', { runId });
          if (call !== latestDetail) return;
          const known = get().runs.find((r) => r.id === runId);
          // An event may have brought a later view while the detail was read.
          set({ detail: { ...later(known, detail), metrics: detail.metrics } });
        } catch (error) {
          if (call === latestDetail) set({ detailError: toShownError(error).message });
        }
      },

      async refreshDetail() {
        const runId = get().selectedRunId;
        if (runId) await get().select(runId);
      },

      async cancel() {
        const runId = get().selectedRunId;
        if (!runId) return;
        set({ cancelling: true, cancelError: null });
        try {
          upsert(await client.call('training.cancel', { runId }));
          set({ cancelling: false });
        } catch (error) {
          set({ cancelling: false, cancelError: toShownError(error).message });
        }
      },

      reset: () => set({ runs: [], datasets: [], listError: null, launchError: null, selectedRunId: null, detail: null, detailError: null, cancelError: null }),
      follow: () => client.on('training.changed', upsert),
    };
  });
}
