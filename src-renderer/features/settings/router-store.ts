import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ROUTER_DEFAULTS, type RouterStatus, type TierRouterView } from '../../../src-shared/router-contract';
import { useStores } from '../../app/stores-context';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** The Settings page's "Learned router" section: each company's router, and training one. */
export interface RouterState {
  status: RouterStatus | null;
  loading: boolean;
  loadError: string | null;
  /** The max share chosen per company (0–1), before training. */
  maxShare: Record<string, number>;
  /** The company whose router is training now, if any. */
  training: string | null;
  /** The main process's refusal of the last training, per company (e.g. too few votes). */
  trainErrors: Record<string, string>;
  load(): Promise<void>;
  setMaxShare(company: string, share: number): void;
  train(company: string): Promise<void>;
}

export type RouterStore = StoreApi<RouterState>;

/** The share a company's router would be trained with: the operator's choice, else its router's, else the default. */
export function maxShareOf(state: Pick<RouterState, 'maxShare'>, company: string, router: TierRouterView | null): number {
  return state.maxShare[company] ?? router?.targetShare ?? ROUTER_DEFAULTS.maxShare;
}

export function createRouterStore(client: TriadClient): RouterStore {
  return createStore<RouterState>((set, get) => ({
    status: null,
    loading: false,
    loadError: null,
    maxShare: {},
    training: null,
    trainErrors: {},
    async load() {
      set({ loading: true, loadError: null });
      try {
        set({ status: await client.call('router.status', {}), loading: false });
      } catch (error) {
        set({ loading: false, loadError: toShownError(error).message });
      }
    },
    setMaxShare(company, share) {
      set({ maxShare: { ...get().maxShare, [company]: Math.min(1, Math.max(0, share)) } });
    },
    async train(company) {
      const router = get().status?.companies.find((c) => c.slug === company)?.router ?? null;
      const { [company]: _cleared, ...others } = get().trainErrors;
      set({ training: company, trainErrors: others });
      try {
        const trained = await client.call('router.train', { company, maxShare: maxShareOf(get(), company, router) });
        const status = get().status;
        set({
          training: null,
          status: status && { ...status, companies: status.companies.map((c) => (c.slug === company ? { ...c, router: trained } : c)) },
        });
      } catch (error) {
        set({ training: null, trainErrors: { ...get().trainErrors, [company]: toShownError(error).message } });
      }
    },
  }));
}

/** The section's store slice. */
export const useRouter = <T>(selector: (state: RouterState) => T): T => useStore(useStores().router, selector);
