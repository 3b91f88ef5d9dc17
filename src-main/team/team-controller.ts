import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { TriadError } from '../../src-shared/errors';
import type { ChannelParsedInput, SyncStatus, TeamView } from '../../src-shared/ipc-contract';
import type { SecretStore } from '../secrets/secret-store';
import type { TriadStore, UserAccess } from '../store/repositories';
import type { SqlExecutor } from '../store/sql-executor';
import type { SupabaseStore } from '../store/supabase/supabase-store';
import { KeychainSessionStorage, SESSION_STORAGE_KEY } from './keychain-session-storage';
import type * as SupabaseAccessModule from './supabase-access';
import { countWaiting, LocalCopy } from './local-copy';
import { OutboxSender } from './outbox-sender';
import { RemoteLink } from './remote-link';
import { createTeamStore, operatorAccessKey } from './team-store';
import { timedFetch } from './timed-fetch';

/** The slice of a pino logger the controller uses. */
export interface TeamLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options of {@link TeamController}. */
export interface TeamControllerOptions {
  /**
   * The embedded store and the executor it runs on: where the connection settings are kept and, in team mode,
   * the local copy and the outbox. Undefined when the app runs on a store that cannot hold them (a Supabase
   * store given directly): team mode is then unavailable.
   */
  local: { store: TriadStore; executor: SqlExecutor } | undefined;
  secrets: SecretStore;
  logger: TeamLogger;
  /** Makes `store` (a team store, or the embedded store when undefined) the one the app uses. */
  useStore(store: TriadStore | undefined): Promise<void>;
  /** How long one request to Supabase may take before it counts as unreachable. Default 15 s. */
  requestTimeoutMs?: number;
  /** Longest wait of the outbox sender between tries while Supabase cannot be reached. Default 5 s. */
  maxRetryDelayMs?: number;
}

/** The connection settings, in the embedded store's settings (the anon key is in the keychain). */
const CONNECTION_KEY = 'team.connection';
const ConnectionSchema = z.object({
  mode: z.enum(['embedded', 'supabase']).catch('embedded'),
  url: z.string().nullable().catch(null),
});
type Connection = z.output<typeof ConnectionSchema>;

/** The part of a stored supabase-js session the app reads itself (to restore it offline). */
const StoredSessionSchema = z.object({
  expires_at: z.number().optional(),
  user: z.object({ id: z.uuid(), email: z.string().optional() }),
});

/** An operator signed in to a project, and the team store acting for them. */
interface SignedIn {
  url: string;
  client: SupabaseClient;
  storage: KeychainSessionStorage;
  operator: { id: string; email: string };
  expiresAt: Date | null;
  local: LocalCopy;
  link: RemoteLink;
  sender: OutboxSender;
  store: TriadStore;
  /** Aborts every request of the client when the session ends. */
  closing: AbortController;
  stopListening(): void;
  /** Set once the session is being ended, so that events of its client change nothing. */
  ending: boolean;
  /** When the session was last checked after Supabase refused it. */
  lastCheckAt: number;
  /** The reading of the operator's directory rows from Supabase, once started. */
  priming: Promise<void> | undefined;
}

type SupabaseAccess = typeof SupabaseAccessModule;

/**
 * Team mode: where the team's data lives (this computer, or a Supabase project), who is signed in, and how far
 * their writes are from Supabase. While an operator is signed in, the app's store is a team store acting as that
 * operator (see createTeamStore) and the API acts as them; otherwise the embedded store and its local operator.
 * Changes of the connection, the session or the sync state are reported to `onChange` listeners (the API sends
 * them as `team.changed`). Operations that change the session run one at a time.
 */
export class TeamController {
  private active: SignedIn | undefined;
  private signedOutReason: string | null = null;
  private readonly listeners = new Set<(view: TeamView) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private emitTimer: NodeJS.Timeout | undefined;
  private lastEmitted = '';
  private closed = false;
  private supabase: Promise<SupabaseAccess> | undefined;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: TeamControllerOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  }

  /** At app start: a session found in the keychain is restored, signed in without asking, online or not. */
  start(): Promise<void> {
    return this.serialised(() => this.restore());
  }

  /** The operator signed in to the team's project, whom the app acts for; undefined when nobody is. */
  signedInOperatorId(): string | undefined {
    return this.active?.operator.id;
  }

  /** Calls `listener` with the new view after each change (coalesced); returns the unsubscribe function. */
  onChange(listener: (view: TeamView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async view(): Promise<TeamView> {
    const connection = await this.connection();
    const anonKeySet = (await this.anonKey()) !== undefined;
    const active = this.active;
    return {
      connection: { mode: connection.mode, url: connection.url, anonKeySet },
      session: active ? await this.sessionView(active) : null,
      sync: await this.syncView(connection, active),
    };
  }

  /** Chooses the embedded store or a Supabase project (URL and anon key, the key into the keychain). */
  configure(input: ChannelParsedInput<'team.configure'>): Promise<void> {
    return this.serialised(async () => {
      const current = await this.connection();
      let url = current.url;
      if (input.url !== undefined || input.anonKey !== undefined || input.mode === 'supabase') {
        const supabase = await this.loadSupabase();
        if (input.url !== undefined) url = projectUrl(supabase.requireSafeProjectUrl(input.url));
        if (input.anonKey !== undefined) supabase.requirePublicKey(input.anonKey);
      }
      if (input.mode === 'supabase') {
        if (!this.options.local) {
          throw new TriadError({ code: 'validation_failed', message: 'mode: team mode keeps a local copy in the embedded store, and this app runs without one' });
        }
        if (!url) throw new TriadError({ code: 'validation_failed', message: "url: give the Supabase project's URL" });
        if (input.anonKey === undefined && (await this.anonKey()) === undefined) {
          throw new TriadError({ code: 'validation_failed', message: "anonKey: give the project's anon (publishable) key" });
        }
      }
      if (url !== current.url) {
        // A session belongs to its project.
        if (this.active) await this.deactivate({ signOut: true });
        else await this.forgetSession();
      }
      if (input.anonKey !== undefined) await this.options.secrets.set('supabase-anon-key', input.anonKey);
      await this.saveConnection({ mode: input.mode, url });
      if (input.mode === 'embedded' && this.active) await this.deactivate({ signOut: false });
      if (input.mode === 'supabase' && !this.active) await this.restore();
      this.changed();
    });
  }

  /** Whether a project can be used (reachable, key accepted, migrations applied), changing nothing. */
  async testConnection(input: ChannelParsedInput<'team.testConnection'>): Promise<{ ok: boolean; message: string }> {
    const anonKey = input.anonKey ?? (await this.anonKey());
    if (anonKey === undefined) return { ok: false, message: "no anon key: give the project's anon (publishable) key" };
    return (await this.loadSupabase()).testConnection(input.url, anonKey, this.requestTimeoutMs);
  }

  /** Signs the operator in with email and password; the session goes to the keychain. */
  signIn(input: ChannelParsedInput<'team.signIn'>): Promise<void> {
    return this.serialised(async () => {
      const connection = await this.connection();
      if (!this.options.local || connection.mode !== 'supabase' || !connection.url) {
        throw new TriadError({ code: 'not_configured', message: 'signing in: choose Supabase and give the project URL and anon key first' });
      }
      const anonKey = await this.anonKey();
      if (anonKey === undefined) throw new TriadError({ code: 'not_configured', message: "signing in: the project's anon key is not set" });
      if (this.active) await this.deactivate({ signOut: true });

      const supabase = await this.loadSupabase();
      const parts = this.createClient(supabase, connection.url, anonKey);
      try {
        const who = await supabase.signInOperator(parts.client, connection.url, input);
        const opened = await supabase.openSupabaseStore({ url: connection.url, client: parts.client });
        if (opened.operator.role === null) {
          throw new TriadError({
            code: 'forbidden',
            message: `signing in ${input.email} to ${connection.url}: this account is not an operator of the project (it has no row in users): an admin must add it (docs/team-mode.md)`,
          });
        }
        const session = (await parts.client.auth.getSession()).data.session;
        const active = await this.activate({
          ...parts,
          url: connection.url,
          operator: { id: who.userId, email: who.email },
          expiresAt: session?.expires_at ? new Date(session.expires_at * 1000) : null,
          opened,
        });
        this.signedOutReason = null;
        await this.prime(active);
      } catch (error) {
        if (!this.active) await this.discardClient(parts);
        throw error;
      }
      this.options.logger.info({ url: connection.url }, 'operator signed in to Supabase');
      this.changed();
    });
  }

  /** Signs out: the session leaves the keychain; the app goes back to the embedded store. */
  signOut(): Promise<void> {
    return this.serialised(async () => {
      if (this.active) await this.deactivate({ signOut: true });
      else await this.forgetSession();
      this.signedOutReason = null;
      this.changed();
    });
  }

  /** At app close (after the request-log writer): stops the sender; the outbox waits on disk for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.listeners.clear();
    await this.serialised(async () => {
      if (this.active) await this.deactivate({ signOut: false, switchBack: false });
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private loadSupabase(): Promise<SupabaseAccess> {
    this.supabase ??= import('./supabase-access');
    return this.supabase;
  }

  private async connection(): Promise<Connection> {
    const stored = this.options.local ? await this.options.local.store.settings.get(CONNECTION_KEY) : undefined;
    return ConnectionSchema.parse(stored ?? {});
  }

  private async saveConnection(connection: Connection): Promise<void> {
    await this.options.local?.store.settings.set(CONNECTION_KEY, connection);
  }

  private async anonKey(): Promise<string | undefined> {
    return this.options.secrets.get('supabase-anon-key').catch(() => undefined);
  }

  private async forgetSession(): Promise<void> {
    await this.options.secrets.delete('supabase-session').catch((error: unknown) => this.options.logger.warn({ err: error }, 'cannot delete the Supabase session from the keychain'));
  }

  /** Restores the session in the keychain, if the connection is set and there is one. */
  private async restore(): Promise<void> {
    if (!this.options.local || this.active || this.closed) return;
    const connection = await this.connection();
    if (connection.mode !== 'supabase' || !connection.url) return;
    const anonKey = await this.anonKey();
    if (anonKey === undefined) return;
    // Read before the client exists: supabase-js reads it too when created, and may refresh or drop it.
    const stored = await this.options.secrets.get('supabase-session').catch(() => undefined);
    const parsed = stored === undefined ? undefined : StoredSessionSchema.safeParse(safeJson(stored));
    if (!parsed?.success) return;
    const { user, expires_at } = parsed.data;
    const supabase = await this.loadSupabase();
    const parts = this.createClient(supabase, connection.url, anonKey);
    const active = await this.activate({
      ...parts,
      url: connection.url,
      operator: { id: user.id, email: user.email ?? user.id },
      expiresAt: expires_at ? new Date(expires_at * 1000) : null,
    });
    this.options.logger.info({ url: connection.url }, 'Supabase session restored from the keychain');
    // Supabase is asked in the background (the sender's first try): a restored session works from the local copy
    // while it cannot be reached.
    active.sender.kick();
    this.changed();
  }

  private createClient(supabase: SupabaseAccess, url: string, anonKey: string): { client: SupabaseClient; storage: KeychainSessionStorage; closing: AbortController } {
    const closing = new AbortController();
    const storage = new KeychainSessionStorage(this.options.secrets, this.options.logger);
    const client = supabase.createOperatorClient({
      url,
      anonKey,
      storage,
      storageKey: SESSION_STORAGE_KEY,
      autoRefreshToken: true,
      fetch: timedFetch(this.requestTimeoutMs, closing.signal),
    });
    return { client, storage, closing };
  }

  private async discardClient(parts: { client: SupabaseClient; closing: AbortController }): Promise<void> {
    await parts.client.auth.signOut({ scope: 'local' }).catch(() => undefined);
    await parts.client.auth.stopAutoRefresh().catch(() => undefined);
    await this.forgetSession();
    parts.closing.abort();
  }

  /** Builds the team store for the operator and makes it the app's. */
  private async activate(parts: {
    url: string;
    client: SupabaseClient;
    storage: KeychainSessionStorage;
    closing: AbortController;
    operator: { id: string; email: string };
    expiresAt: Date | null;
    opened?: SupabaseStore;
  }): Promise<SignedIn> {
    const embedded = this.options.local!;
    const local = new LocalCopy(embedded.executor, { project: parts.url, userId: parts.operator.id });
    // Their rows reference them: a row before anything is written, until Supabase says who they are.
    await local.ensureOperator({ id: parts.operator.id, displayName: parts.operator.email, role: 'analyst' }, { placeholder: true });
    const supabase = await this.loadSupabase();
    // The parts call each other back through `active`, which exists by the time any callback runs.
    const link = new RemoteLink({
      url: parts.url,
      open: () => supabase.openSupabaseStore({ url: parts.url, client: parts.client }),
      onChange: () => {
        this.changed();
        sender.wake();
        // A restored session: who the operator is now (role, companies), once Supabase answers.
        if (link.state === 'online') void this.prime(active);
      },
      onUnauthorized: (error) => void this.checkSession(active, error),
    });
    const sender = new OutboxSender({
      local,
      link,
      logger: this.options.logger,
      onChange: () => this.changed(),
      ...(this.options.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: this.options.maxRetryDelayMs }),
    });
    const store = createTeamStore({
      local,
      link,
      computerSettings: embedded.store.settings,
      logger: this.options.logger,
      onWrite: () => {
        sender.wake();
        this.changed();
      },
    });
    const { closing, client, storage, url, operator, expiresAt } = parts;
    const active: SignedIn = {
      url, client, storage, closing, operator, expiresAt, local, link, sender, store,
      stopListening: () => undefined,
      ending: false,
      lastCheckAt: 0,
      priming: undefined,
    };
    if (parts.opened) active.link.adopt(parts.opened);
    const { data } = parts.client.auth.onAuthStateChange((event, session) => {
      // Called inside supabase-js's lock: note what changed and act after it.
      if (active.ending) return;
      if (session?.expires_at) active.expiresAt = new Date(session.expires_at * 1000);
      if (event === 'TOKEN_REFRESHED' || event === 'SIGNED_IN') {
        this.changed();
        setTimeout(() => active.sender.wake(), 0);
      } else if (event === 'SIGNED_OUT' || (event === 'INITIAL_SESSION' && !session)) {
        setTimeout(() => void this.endIfSessionGone(active), 0);
      }
    });
    active.stopListening = () => data.subscription.unsubscribe();
    this.active = active;
    await this.options.useStore(active.store);
    return active;
  }

  /** Ends the session and goes back to the embedded store; `signOut` also ends it at Supabase and in the keychain. */
  private async deactivate(options: { signOut: boolean; switchBack?: boolean }): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    active.ending = true;
    active.stopListening();
    // The request-log writer delivers what it holds into the team store first (local copy and outbox).
    if (options.switchBack !== false) await this.options.useStore(undefined);
    if (options.signOut) {
      await active.client.auth.signOut({ scope: 'local' }).catch(() => undefined);
      await this.forgetSession();
    }
    await active.client.auth.stopAutoRefresh().catch(() => undefined);
    active.closing.abort();
    await active.sender.close();
    await active.store.close();
  }

  /** Mirrors the operator's directory rows (role, companies) once per session, when Supabase answers. */
  private prime(active: SignedIn): Promise<void> {
    active.priming ??= (async () => {
      try {
        await active.store.directory.getUserAccess(active.operator.id);
        await active.store.directory.listCompanies();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not read the operator from Supabase');
      }
      this.changed();
    })();
    return active.priming;
  }

  /** supabase-js signed out (a refused refresh): the session is over when its keychain entry is gone. */
  private async endIfSessionGone(active: SignedIn): Promise<void> {
    if (active.ending || this.active !== active) return;
    if ((await active.storage.getItem(SESSION_STORAGE_KEY)) !== null) return;
    await this.sessionEnded(active, 'Supabase refused to renew the session (it expired or was revoked): sign in again');
  }

  /** Supabase refused a call as unauthorized: renew the session, or end it when Supabase refuses that too. */
  private async checkSession(active: SignedIn, error: TriadError): Promise<void> {
    if (active.ending || Date.now() - active.lastCheckAt < 10_000) return;
    active.lastCheckAt = Date.now();
    if ((await active.storage.getItem(SESSION_STORAGE_KEY)) === null) {
      await this.sessionEnded(active, `Supabase no longer accepts the session (${error.message})`);
      return;
    }
    const supabase = await this.loadSupabase();
    const { error: refused } = await active.client.auth.refreshSession();
    if (active.ending) return;
    if (refused && !supabase.isAuthRetryableFetchError(refused)) {
      await this.sessionEnded(active, `Supabase refused to renew the session (${refused.message}): sign in again`);
    } else if (!refused) {
      active.sender.kick();
    }
  }

  private sessionEnded(active: SignedIn, reason: string): Promise<void> {
    return this.serialised(async () => {
      if (this.active !== active) return;
      this.options.logger.warn({ reason }, 'signed out of Supabase');
      await this.deactivate({ signOut: false });
      await this.forgetSession();
      this.signedOutReason = `signed out: ${reason}`;
      this.changed();
    });
  }

  private async sessionView(active: SignedIn): Promise<TeamView['session']> {
    const access =
      (await active.local.recall<UserAccess | undefined>(operatorAccessKey(active.operator.id)).catch(() => undefined))?.value ??
      (await active.local.store.directory.getUserAccess(active.operator.id).catch(() => undefined));
    return {
      userId: active.operator.id,
      email: active.operator.email,
      displayName: access?.displayName ?? active.operator.email,
      role: access?.role ?? 'analyst',
      companies: access?.companySlugs ?? [],
      expiresAt: active.expiresAt?.toISOString() ?? null,
    };
  }

  private async syncView(connection: Connection, active: SignedIn | undefined): Promise<SyncStatus> {
    const executor = this.options.local?.executor;
    const waiting = (project?: string) => (executor ? countWaiting(executor, project).catch(() => 0) : Promise.resolve(0));
    if (connection.mode === 'embedded' || !executor) {
      return { state: 'embedded', pending: await waiting(), lastSuccessAt: null, lastError: null };
    }
    if (!active) {
      return { state: 'signed-out', pending: connection.url ? await waiting(connection.url) : 0, lastSuccessAt: null, lastError: this.signedOutReason };
    }
    const counts = await active.local.counts();
    const sender = active.sender.status();
    const online = active.link.state === 'online';
    const refusals = counts.refused > 0 ? `${counts.refused} write${counts.refused === 1 ? ' was' : 's were'} refused by Supabase and set aside: ${counts.lastRefusal}` : null;
    return {
      state: online ? 'online' : 'offline',
      pending: counts.waiting,
      lastSuccessAt: sender.lastSuccessAt?.toISOString() ?? null,
      lastError: (online ? null : active.link.lastError) ?? sender.lastError ?? refusals,
    };
  }

  /** Reports the view to the listeners, at most every 100 ms, when it changed. */
  private changed(): void {
    if (this.closed || this.emitTimer || this.listeners.size === 0) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      void this.view().then(
        (view) => {
          const text = JSON.stringify(view);
          if (this.closed || text === this.lastEmitted) return;
          this.lastEmitted = text;
          for (const listener of this.listeners) listener(view);
        },
        (error: unknown) => this.options.logger.warn({ err: error }, 'cannot report the team state'),
      );
    }, 100);
  }
}

/** The project URL as kept: origin and path, without a trailing slash. */
function projectUrl(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
