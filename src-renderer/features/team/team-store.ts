import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, TeamView } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';
import { projectUrlProblem } from './project-url';

/** What the team section does, one at a time, each with its own error. */
export type TeamAction = 'configure' | 'test' | 'signIn' | 'signOut';

/** The outcome of "Test connection", for the URL it was run on. */
export interface ConnectionTest {
  url: string;
  ok: boolean;
  message: string;
}

export interface TeamState {
  /** From `team.get`, then every `team.changed` and every action's answer. */
  view: TeamView | null;
  loadError: string | null;
  busy: TeamAction | null;
  errors: Partial<Record<TeamAction, string>>;
  test: ConnectionTest | null;
  /** Reads the team view once and follows `team.changed`; returns the function that stops following. */
  follow(): () => void;
  /** Switches to the embedded store or a Supabase project (the anon key, when given, goes to the keychain). */
  configure(input: ChannelInput<'team.configure'>): Promise<boolean>;
  /** Checks a project without changing anything; the result is in `test`. */
  testConnection(input: ChannelInput<'team.testConnection'>): Promise<boolean>;
  /** Forgets the last test (the URL or key it was run on changed). */
  clearTest(): void;
  /** The password is passed on and kept nowhere in the renderer. */
  signIn(credentials: ChannelInput<'team.signIn'>): Promise<boolean>;
  signOut(): Promise<boolean>;
}

export type TeamStore = StoreApi<TeamState>;

/**
 * Who the rest of the UI works for: the embedded operator, or one operator of one project (or nobody). Two
 * views with the same key show the same conversations and settings; sync progress does not change it.
 */
export function operatorKey(view: TeamView): string {
  if (view.connection.mode === 'embedded') return 'embedded';
  return `supabase ${view.connection.url ?? ''} ${view.session?.userId ?? 'signed-out'}`;
}

export interface TeamStoreOptions {
  /** Called when the operator changes (sign in, sign out, another mode or project), not for the first view. */
  onOperatorChanged?: (view: TeamView) => void;
}

export function createTeamStore(client: TriadClient, options: TeamStoreOptions = {}): TeamStore {
  let shownOperator: string | null = null;

  return createStore<TeamState>()((set, get) => {
    const accept = (view: TeamView) => {
      const key = operatorKey(view);
      const changed = shownOperator !== null && shownOperator !== key;
      shownOperator = key;
      // A refusal or test shown before says nothing once another operator (or project) is in use.
      set((state) => ({ view, loadError: null, ...(changed ? { test: null, errors: { ...state.errors, signIn: undefined, signOut: undefined, test: undefined } } : {}) }));
      if (changed) options.onOperatorChanged?.(view);
    };

    /** Runs one action; the main process's message is kept as the action's error when it refuses. */
    const run = async (action: TeamAction, body: () => Promise<void>): Promise<boolean> => {
      set((state) => ({ busy: action, errors: { ...state.errors, [action]: undefined } }));
      try {
        await body();
        set({ busy: null });
        return true;
      } catch (error) {
        set((state) => ({ busy: null, errors: { ...state.errors, [action]: toShownError(error).message } }));
        return false;
      }
    };

    const refuseUnsafeUrl = (action: TeamAction, url: string | undefined): boolean => {
      const problem = url === undefined ? null : projectUrlProblem(url);
      if (problem) set((state) => ({ errors: { ...state.errors, [action]: problem } }));
      return problem !== null;
    };

    return {
      view: null,
      loadError: null,
      busy: null,
      errors: {},
      test: null,

      follow: () => {
        let changedSinceRead = false;
        const unsubscribe = client.on('team.changed', (view) => {
          changedSinceRead = true;
          accept(view);
        });
        client.call('team.get', {}).then(
          // An event that arrived while team.get was on its way is newer than its answer.
          (view) => {
            if (!changedSinceRead) accept(view);
          },
          (error: unknown) => set({ loadError: toShownError(error).message }),
        );
        return unsubscribe;
      },

      configure: async (input) => {
        if (input.mode === 'supabase') {
          if (refuseUnsafeUrl('configure', input.url)) return false;
          if (!input.anonKey && get().view?.connection.anonKeySet === false) {
            set((state) => ({ errors: { ...state.errors, configure: "paste the project's anon key: none is saved yet" } }));
            return false;
          }
        }
        return run('configure', async () => accept(await client.call('team.configure', input)));
      },

      testConnection: async (input) => {
        set({ test: null });
        if (refuseUnsafeUrl('test', input.url)) return false;
        return run('test', async () => {
          const result = await client.call('team.testConnection', input);
          set({ test: { url: input.url, ...result } });
        });
      },

      clearTest: () => set((state) => ({ test: null, errors: { ...state.errors, test: undefined } })),

      signIn: (credentials) => run('signIn', async () => accept(await client.call('team.signIn', credentials))),

      signOut: () => run('signOut', async () => accept(await client.call('team.signOut', {}))),
    };
  });
}
