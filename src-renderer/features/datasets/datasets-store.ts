import { createStore, type StoreApi } from 'zustand/vanilla';
import { DATASET_DEFAULTS, type DatasetKind, type DatasetSummary, type DatasetVersionView } from '../../../src-shared/dataset-contract';
import type { Tier } from '../../../src-shared/domain';
import type { EventPayload } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** What the form asks for. */
export interface DatasetForm {
  tier: Tier;
  /** Only for the Company tier. */
  company: string | null;
  kind: DatasetKind;
  k: number;
  seed: number;
  evalShare: number;
}

export type PushProgressView = Omit<EventPayload<'datasets.pushProgress'>, 'datasetId'>;

export interface DatasetsState {
  form: DatasetForm;
  /** The last preview or build of the form as it was then. */
  summary: DatasetSummary | null;
  /** The version the last build recorded, ready to push. */
  built: DatasetVersionView | null;
  busy: 'preview' | 'build' | 'push' | null;
  /** How far the preview or build under way is. */
  buildProgress: EventPayload<'datasets.buildProgress'> | null;
  /** Why the last preview, build or history read failed. */
  error: string | null;
  repo: string;
  /** The push under way (or the last one): which dataset, how far, and why it failed. */
  push: { datasetId: string; progress: PushProgressView | null; error: string | null } | null;
  /** Built and pushed versions, newest first. */
  history: DatasetVersionView[];
  setForm(change: Partial<DatasetForm>): void;
  setRepo(repo: string): void;
  preview(): Promise<void>;
  build(): Promise<void>;
  /** Pushes the dataset (the one just built by default), or retries its failed push. */
  pushDataset(datasetId?: string): Promise<void>;
  loadHistory(): Promise<void>;
  /** Forgets what was built and read: another operator is signed in. */
  reset(): void;
  /** Follows push progress events; returns the unsubscribe function. */
  follow(): () => void;
}

export type DatasetsStore = StoreApi<DatasetsState>;

export function createDatasetsStore(client: TriadClient): DatasetsStore {
  const params = (form: DatasetForm) => ({ ...form, company: form.tier === 'company' ? form.company : null });
  return createStore<DatasetsState>((set, get) => ({
    form: { tier: 'company', company: null, kind: 'sft', k: DATASET_DEFAULTS.k, seed: DATASET_DEFAULTS.seed, evalShare: DATASET_DEFAULTS.evalShare },
    summary: null,
    built: null,
    busy: null,
    buildProgress: null,
    error: null,
    repo: '',
    push: null,
    history: [],
    setForm: (change) => set({ form: { ...get().form, ...change } }),
    setRepo: (repo) => set({ repo }),
    async preview() {
      set({ busy: 'preview', error: null, buildProgress: null });
      try {
        set({ summary: await client.call('datasets.preview', params(get().form)), busy: null });
      } catch (error) {
        set({ summary: null, busy: null, error: toShownError(error).message });
      }
    },
    async build() {
      set({ busy: 'build', error: null, push: null, buildProgress: null });
      try {
        const { version, summary } = await client.call('datasets.build', params(get().form));
        set({ summary, built: version, busy: null });
        void get().loadHistory();
      } catch (error) {
        set({ busy: null, error: toShownError(error).message });
      }
    },
    async pushDataset(datasetId = get().built?.id) {
      if (!datasetId) return;
      set({ busy: 'push', push: { datasetId, progress: null, error: null } });
      try {
        const version = await client.call('datasets.push', { datasetId, repo: get().repo });
        set({ busy: null, built: get().built?.id === datasetId ? version : get().built });
      } catch (error) {
        set({ busy: null, push: { datasetId, progress: get().push?.progress ?? null, error: toShownError(error).message } });
      }
      await get().loadHistory();
    },
    async loadHistory() {
      try {
        set({ history: await client.call('datasets.list', {}) });
      } catch (error) {
        set({ error: toShownError(error).message });
      }
    },
    reset: () => set({ summary: null, built: null, error: null, push: null, history: [] }),
    follow: () => {
      const pushes = client.on('datasets.pushProgress', ({ datasetId, ...progress }) => {
        const push = get().push;
        if (push?.datasetId === datasetId) set({ push: { ...push, progress } });
      });
      const builds = client.on('datasets.buildProgress', (progress) => {
        if (get().busy === 'preview' || get().busy === 'build') set({ buildProgress: progress });
      });
      return () => {
        pushes();
        builds();
      };
    },
  }));
}
