import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, SettingsView } from '../../../src-shared/ipc-contract';
import type { Tier } from '../../../src-shared/domain';
import type { SecretName } from '../../../src-shared/secrets';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** The parts of Settings that save on their own, each with its own error and "saved" note. */
export type SettingsSection = 'flags' | 'localModels' | 'openai' | 'companyContext' | 'contentFilter' | 'demoWorkspace' | `space.${Tier}` | `secret.${SecretName}`;

export interface SettingsState {
  view: SettingsView | null;
  loadError: string | null;
  /** The section being saved (one at a time: every save returns the whole view). */
  saving: SettingsSection | null;
  errors: Partial<Record<SettingsSection, string>>;
  /** When each section was last saved, to show "Saved". */
  savedAt: Partial<Record<SettingsSection, number>>;
  load(): Promise<void>;
  /** Reads the view again for another operator: on failure nothing of the previous one stays shown. */
  reload(): Promise<void>;
  setFlag(input: ChannelInput<'settings.setFlag'>): Promise<boolean>;
  saveSpace(input: ChannelInput<'settings.saveSpace'>): Promise<boolean>;
  saveLocalModels(input: ChannelInput<'settings.saveLocalModels'>): Promise<boolean>;
  saveOpenAi(input: ChannelInput<'settings.saveOpenAi'>): Promise<boolean>;
  saveContentFilter(input: ChannelInput<'settings.saveContentFilter'>): Promise<boolean>;
  setCompanyContext(company: string | null): Promise<boolean>;
  /** Deletes the demo workspace's companies and insights; the user's own data stays. */
  removeDemoWorkspace(): Promise<boolean>;
  /** Stores a secret in the keychain; the value is not kept anywhere in the renderer. */
  setSecret(name: SecretName, value: string): Promise<boolean>;
  clearSecret(name: SecretName): Promise<boolean>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(client: TriadClient, options: { onFlagsChanged?: () => void } = {}): SettingsStore {
  // Bumped on every read, so a slow answer read for an earlier operator cannot replace a newer one.
  let reads = 0;

  return createStore<SettingsState>()((set, get) => {
    /** Runs one save; the main process's error message is shown in the section when it refuses. */
    const saving = async (section: SettingsSection, run: () => Promise<Partial<Pick<SettingsState, 'view'>>>): Promise<boolean> => {
      set((state) => ({ saving: section, errors: { ...state.errors, [section]: undefined } }));
      try {
        const change = await run();
        set((state) => ({ ...change, saving: null, savedAt: { ...state.savedAt, [section]: Date.now() } }));
        return true;
      } catch (error) {
        set((state) => ({ saving: null, errors: { ...state.errors, [section]: toShownError(error).message } }));
        return false;
      }
    };
    const withSecrets = (secrets: SettingsView['secrets']) => {
      const view = get().view;
      return view ? { view: { ...view, secrets } } : {};
    };

    return {
      view: null,
      loadError: null,
      saving: null,
      errors: {},
      savedAt: {},
      load: async () => {
        const read = ++reads;
        try {
          const view = await client.call('settings.get', {});
          if (read === reads) set({ view, loadError: null });
        } catch (error) {
          if (read === reads) set({ loadError: toShownError(error).message });
        }
      },
      reload: async () => {
        const read = ++reads;
        set({ errors: {}, savedAt: {} });
        try {
          const view = await client.call('settings.get', {});
          if (read === reads) set({ view, loadError: null });
        } catch (error) {
          if (read === reads) set({ view: null, loadError: toShownError(error).message });
        }
      },
      setFlag: async (input) => {
        const saved = await saving('flags', async () => ({ view: await client.call('settings.setFlag', input) }));
        if (saved) options.onFlagsChanged?.();
        return saved;
      },
      saveSpace: (input) => saving(`space.${input.tier}`, async () => ({ view: await client.call('settings.saveSpace', input) })),
      saveLocalModels: (input) => saving('localModels', async () => ({ view: await client.call('settings.saveLocalModels', input) })),
      saveOpenAi: (input) => saving('openai', async () => ({ view: await client.call('settings.saveOpenAi', input) })),
      saveContentFilter: (input) => saving('contentFilter', async () => ({ view: await client.call('settings.saveContentFilter', input) })),
      setCompanyContext: (company) => saving('companyContext', async () => ({ view: await client.call('settings.setCompanyContext', { company }) })),
      removeDemoWorkspace: () => saving('demoWorkspace', async () => ({ view: await client.call('settings.removeDemoWorkspace', {}) })),
      setSecret: (name, value) => saving(`secret.${name}`, async () => withSecrets(await client.call('secrets.set', { name, value }))),
      clearSecret: (name) => saving(`secret.${name}`, async () => withSecrets(await client.call('secrets.clear', { name }))),
    };
  });
}

/** The effective value of a boolean flag, or `fallback` before Settings loaded. */
export function booleanFlag(view: SettingsView | null, key: string, fallback: boolean): boolean {
  const value = view?.flags.find((flag) => flag.key === key)?.value;
  return typeof value === 'boolean' ? value : fallback;
}
