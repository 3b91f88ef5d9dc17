import { randomUUID } from 'node:crypto';
import { TriadError } from '../../src-shared/errors';
import type {
  Company,
  ConversationRepository,
  DatasetRepository,
  DirectoryRepository,
  FeatureFlagRepository,
  FeedbackRepository,
  KnowledgeRepository,
  ModelRegistryRepository,
  PreferenceRepository,
  RequestLogEntry,
  RequestLogRepository,
  SettingsRepository,
  SpaceConfigRepository,
  TrainingRunRepository,
  TierRouterRepository,
  EvaluationRepository,
  TriadStore,
  UserAccess,
} from '../store/repositories';
import { validateEntry } from '../store/sql/request-log-rows';
import { invalidInput } from '../store/store-errors';
import type { SupabaseStore } from '../store/supabase/supabase-store';
import type { LocalCopy } from './local-copy';
import { isUnreachable, type RemoteLink } from './remote-link';
import { createTeamReview } from './team-review';

/** The slice of a pino logger the team store uses. */
export interface TeamStoreLogger {
  warn(object: object, message?: string): void;
}

/** Options of {@link createTeamStore}. */
export interface TeamStoreOptions {
  local: LocalCopy;
  link: RemoteLink;
  /** The embedded store's settings: where this computer's own settings (local model files) live in every mode. */
  computerSettings: SettingsRepository;
  /** A write went into the outbox. */
  onWrite(): void;
  logger: TeamStoreLogger;
}

/** Where the operator's own directory row (role, companies) is remembered, for reading offline. */
export function operatorAccessKey(userId: string): string {
  return `directory:user:${userId}`;
}

/** Settings of this computer rather than of the team: kept locally, never read from nor written to Supabase. */
const COMPUTER_SETTINGS = new Set(['local.models']);
/** Settings of this operator on this computer (their current company), kept in the local copy. */
const OPERATOR_SETTINGS = new Set(['session.companyContext']);

/**
 * The store of team mode: one operator of one Supabase project, composed of
 * - Supabase (through the Supabase store), the shared truth, read while it can be reached;
 * - the local copy (the embedded store's tables, same schema), where the operator's own writes are applied first,
 *   and what is read from Supabase is mirrored, so that reading works offline;
 * - the outbox (in the embedded store), filled in the same local transaction as each write, and sent in order by
 *   the outbox sender.
 *
 * Writes of the operator's own rows (request log, conversations, feedback, votes) always succeed locally, online
 * or not. The team's configuration (flags, settings, Spaces, the directory, the registry, knowledge) is written
 * by admins and ML leads online only: offline, such a write fails with `store_unavailable` saying so. Reads of the
 * configuration come from Supabase and are remembered; offline the last answer is served. Conversations and
 * transcripts are answered from the local copy, refreshed from Supabase first when it can be reached.
 */
export function createTeamStore(options: TeamStoreOptions): TriadStore {
  const { local, link } = options;
  const operatorId = local.scope.userId;
  /** What was last remembered, as JSON: the facade reads the configuration every second, and it rarely changes. */
  const rememberedJson = new Map<string, string>();

  /**
   * Reads from Supabase, remembering the answer (and copying what local rows need with `mirror`); offline, the
   * answer last remembered, else `fallback`. A failure to remember or copy is logged: the answer still stands.
   */
  async function remembered<T>(
    key: string,
    read: (remote: SupabaseStore) => Promise<T>,
    fallback: () => Promise<T>,
    mirror?: (value: T) => Promise<void>,
  ): Promise<T> {
    let value: T;
    try {
      value = await link.run(read);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const last = await local.recall<T>(key);
      return last ? last.value : fallback();
    }
    const json = JSON.stringify(value) ?? 'undefined';
    if (rememberedJson.get(key) === json) return value;
    try {
      await local.remember(key, value);
      await mirror?.(value);
      rememberedJson.set(key, json);
    } catch (error) {
      options.logger.warn({ err: error, key }, 'could not keep in the local copy what Supabase answered');
    }
    return value;
  }

  /** A change of the team's configuration: online only. */
  async function online<T>(write: (remote: SupabaseStore) => Promise<T>): Promise<T> {
    try {
      return await link.run(write);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      throw new TriadError(
        { code: error.code, retryable: error.retryable, message: `${error.message}; the team's configuration is changed online only: try again once connected` },
        { cause: error },
      );
    }
  }

  /** Reads from Supabase, or nothing when it cannot be reached. */
  async function orNothing<T>(read: (remote: SupabaseStore) => Promise<T>, nothing: T): Promise<T> {
    try {
      return await link.run(read);
    } catch (error) {
      if (isUnreachable(error)) return nothing;
      throw error;
    }
  }

  /**
   * Reads from Supabase and copies the answer into the local copy, which then answers. Offline there is nothing
   * to copy; a failure to copy is logged, not shown: the local copy still answers.
   */
  async function refresh<T>(what: string, read: (remote: SupabaseStore) => Promise<T>, mirror: (value: T) => Promise<void>): Promise<void> {
    let value: T;
    try {
      value = await link.run(read);
    } catch (error) {
      if (isUnreachable(error)) return;
      throw error;
    }
    await mirror(value).catch((error: unknown) => options.logger.warn({ err: error, what }, 'could not copy what Supabase answered into the local copy'));
  }

  function requireOperator(userId: string | null, what: string): void {
    if (userId !== operatorId) {
      throw invalidInput(`${what}: a team store writes only as the signed-in operator (user ${operatorId}), not as user ${userId ?? 'none'}`);
    }
  }

  const directory: DirectoryRepository = {
    getUserAccess: (userId) =>
      remembered(
        operatorAccessKey(userId),
        (remote) => remote.directory.getUserAccess(userId),
        // Never remembered (first start offline): the local row, which a restored session creates.
        async (): Promise<UserAccess | undefined> => (userId === operatorId ? local.store.directory.getUserAccess(userId) : undefined),
        async (user) => {
          if (user && userId === operatorId) await local.ensureOperator(user);
        },
      ),
    findCompany: (slug) =>
      remembered(
        `directory:company:${slug}`,
        (remote) => remote.directory.findCompany(slug),
        async () => (await local.recall<Company[]>('directory:companies'))?.value.find((c) => c.slug === slug),
        async (company) => {
          if (company) await local.ensureCompanies([company]);
        },
      ),
    listCompanies: () =>
      remembered(
        'directory:companies',
        (remote) => remote.directory.listCompanies(),
        async () => [],
        (companies) => local.ensureCompanies(companies),
      ),
    createCompany: (company) => online((remote) => remote.directory.createCompany(company)),
    createUser: (user) => online((remote) => remote.directory.createUser(user)),
    grantCompanyAccess: (userId, slug) => online((remote) => remote.directory.grantCompanyAccess(userId, slug)),
  };

  const flags: FeatureFlagRepository = {
    readAll: () => remembered<Record<string, unknown>>('flags', (remote) => remote.flags.readAll(), async () => ({})),
    set: (key, value, updatedBy) => online((remote) => remote.flags.set(key, value, updatedBy)),
  };

  const operatorSettingKey = (key: string) => `setting:${key}`;
  const settings: SettingsRepository = {
    async get(key) {
      return (await settings.getAll())[key];
    },
    async getAll() {
      const team = await remembered<Record<string, unknown>>('settings', (remote) => remote.settings.getAll(), async () => ({}));
      const mine: Record<string, unknown> = {};
      for (const key of Object.keys(team)) if (!COMPUTER_SETTINGS.has(key) && !OPERATOR_SETTINGS.has(key)) mine[key] = team[key];
      for (const key of COMPUTER_SETTINGS) {
        const value = await options.computerSettings.get(key);
        if (value !== undefined) mine[key] = value;
      }
      for (const key of OPERATOR_SETTINGS) {
        const value = (await local.recall(operatorSettingKey(key)))?.value;
        if (value !== undefined) mine[key] = value;
      }
      return mine;
    },
    async set(key, value) {
      if (COMPUTER_SETTINGS.has(key)) return options.computerSettings.set(key, value);
      if (OPERATOR_SETTINGS.has(key)) return local.remember(operatorSettingKey(key), value);
      return online((remote) => remote.settings.set(key, value));
    },
  };

  const spaces: SpaceConfigRepository = {
    activeSpaceFor: (tier) => remembered(`spaces:active:${tier}`, (remote) => remote.spaces.activeSpaceFor(tier), async () => undefined),
    list: () => remembered('spaces', (remote) => remote.spaces.list(), async () => []),
    upsert: (space) => online((remote) => remote.spaces.upsert(space)),
  };

  // Training talks to the Hub, so it needs the network anyway: runs are read and written in Supabase only.
  const trainingRuns: TrainingRunRepository = {
    create: (run) => online((remote) => remote.trainingRuns.create(run)),
    get: (id) => link.run((remote) => remote.trainingRuns.get(id)),
    list: (limit) => link.run((remote) => remote.trainingRuns.list(limit)),
    listUnfinished: () => link.run((remote) => remote.trainingRuns.listUnfinished()),
    update: (id, change) => online((remote) => remote.trainingRuns.update(id, change)),
    complete: (id, model) => online((remote) => remote.trainingRuns.complete(id, model)),
  };

  // Routers are the team's: trained and read in Supabase (the selector keeps the last ones read while offline).
  const routers: TierRouterRepository = {
    trainingSources: (company) => link.run((remote) => remote.routers.trainingSources(company)),
    save: (router) => online((remote) => remote.routers.save(router)),
    listCurrent: () => link.run((remote) => remote.routers.listCurrent()),
  };

  // Evaluations call the Spaces anyway: read and written in Supabase only, like training runs.
  const evaluations: EvaluationRepository = {
    create: (run, items) => online((remote) => remote.evaluations.create(run, items)),
    get: (id) => link.run((remote) => remote.evaluations.get(id)),
    list: (filter) => link.run((remote) => remote.evaluations.list(filter)),
    listUnfinished: () => link.run((remote) => remote.evaluations.listUnfinished()),
    items: (runId) => link.run((remote) => remote.evaluations.items(runId)),
    recordAnswer: (itemId, side, answer) => online((remote) => remote.evaluations.recordAnswer(itemId, side, answer)),
    judge: (itemId, verdict, by) => online((remote) => remote.evaluations.judge(itemId, verdict, by)),
    update: (id, change) => online((remote) => remote.evaluations.update(id, change)),
    latestCompleted: (modelId, tier) => link.run((remote) => remote.evaluations.latestCompleted(modelId, tier)),
  };

  const registry: ModelRegistryRepository = {
    register: (model) => online((remote) => remote.registry.register(model)),
    linkSpace: (modelId, space) => online((remote) => remote.registry.linkSpace(modelId, space)),
    list: () => link.run((remote) => remote.registry.list()),
    recordDeployment: (deployment) => online((remote) => remote.registry.recordDeployment(deployment)),
    updateDeployment: (id, change) => online((remote) => remote.registry.updateDeployment(id, change)),
    listDeployments: (spaceId) => link.run((remote) => remote.registry.listDeployments(spaceId)),
  };

  // Datasets are built from the team's data and pushed online only: the local copy holds only what this operator
  // wrote or reviewed, and a dataset built from it would silently miss the rest of the team's.
  const datasets: DatasetRepository = {
    sources: (scope) => link.run((remote) => remote.datasets.sources(scope)),
    recordBuild: (build) => online((remote) => remote.datasets.recordBuild(build)),
    recordPush: (id, push) => online((remote) => remote.datasets.recordPush(id, push)),
    recordPushFailure: (id, reason) => online((remote) => remote.datasets.recordPushFailure(id, reason)),
    get: (id) => link.run((remote) => remote.datasets.get(id)),
    list: (limit) => link.run((remote) => remote.datasets.list(limit)),
  };

  // Offline, the tiers answer without company knowledge or insights: the embedded store's own (sample) knowledge
  // belongs to another dataset and must not reach a team's answers.
  const knowledge: KnowledgeRepository = {
    addCompanySnippet: (slug, snippet) => online((remote) => remote.knowledge.addCompanySnippet(slug, snippet)),
    searchCompanySnippets: (slug, query, limit) => orNothing((remote) => remote.knowledge.searchCompanySnippets(slug, query, limit), []),
    addCrossCompanyInsight: (insight) => online((remote) => remote.knowledge.addCrossCompanyInsight(insight)),
    searchCrossCompanyInsights: (query, limit) => orNothing((remote) => remote.knowledge.searchCrossCompanyInsights(query, limit), []),
  };

  const requests: RequestLogRepository = {
    record: (entry) => requests.recordMany([entry]),
    async recordMany(entries) {
      const unique = new Map<string, RequestLogEntry>();
      for (const entry of entries) {
        validateEntry(entry);
        if (!unique.has(entry.id)) unique.set(entry.id, entry);
      }
      const foreign = [...unique.values()].filter((entry) => entry.userId !== operatorId);
      if (foreign.length > 0) {
        const named = foreign.slice(0, 5).map((e) => `${e.id} (user ${e.userId ?? 'none'})`).join(', ');
        throw invalidInput(
          `request log entries ${named}${foreign.length > 5 ? ` and ${foreign.length - 5} more` : ''}: ` +
            `a team store logs only the signed-in operator's own requests (user ${operatorId})`,
        );
      }
      if (unique.size === 0) return;
      const all = [...unique.values()];
      await local.write(`logging ${all.length === 1 ? `request ${all[0]!.id}` : `${all.length} requests`}`, async (write) => {
        // An entry already here (a batch the writer sent again) is already in the outbox, or sent.
        const known = await write.knownRequests(all.map((entry) => entry.id));
        const fresh = all.filter((entry) => !known.has(entry.id));
        await write.store.requests.recordMany(fresh);
        await write.append(fresh.map((entry) => ({ kind: 'request', payload: entry })));
      });
      options.onWrite();
    },
    async get(id) {
      const mine = await local.store.requests.get(id);
      if (mine) return mine;
      const found = await orNothing((remote) => remote.requests.get(id), undefined);
      // The operator's own request, logged elsewhere: copied, so that feedback on it can be saved here.
      if (found?.userId === operatorId) {
        await local.store.requests.recordMany([found]).catch((error: unknown) => options.logger.warn({ err: error, requestId: id }, 'could not copy a request into the local copy'));
      }
      return found;
    },
    async listRecent(limit) {
      try {
        return await link.run((remote) => remote.requests.listRecent(limit));
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        // The embedded store's table holds other operators' rows too: only this operator's are theirs to see.
        return (await local.store.requests.listRecent(limit * 4)).filter((entry) => entry.userId === operatorId).slice(0, limit);
      }
    },
  };

  const conversations: ConversationRepository = {
    async create(conversation) {
      requireOperator(conversation.userId, `creating conversation '${conversation.title}'`);
      const id = conversation.id ?? randomUUID();
      const now = new Date();
      const created = await local.write(`creating conversation '${conversation.title}'`, async (write) => {
        const row = await write.store.conversations.create({ ...conversation, id });
        await write.append([
          {
            kind: 'conversation',
            payload: { id: row.id, userId: operatorId, companySlug: conversation.companySlug ?? null, title: conversation.title, createdAt: now, updatedAt: now },
          },
        ]);
        return row;
      });
      options.onWrite();
      return created;
    },
    async listForUser(userId) {
      if (userId !== operatorId) return [];
      await refresh('conversations', (remote) => remote.conversations.listForUser(userId), (list) => local.mirrorConversations(list));
      return local.store.conversations.listForUser(userId);
    },
    async transcript(conversationId, viewerId) {
      if (viewerId !== operatorId) return [];
      await refreshTranscript(conversationId);
      return local.store.conversations.transcript(conversationId, viewerId);
    },
    async messages(conversationId) {
      await refreshTranscript(conversationId);
      return (await local.hasConversation(conversationId)) ? local.store.conversations.messages(conversationId) : [];
    },
  };

  async function refreshTranscript(conversationId: string): Promise<void> {
    const known = await local.hasConversation(conversationId);
    await refresh(
      'transcript',
      async (remote) => {
        const turns = await remote.conversations.transcript(conversationId, operatorId);
        // A conversation started on another computer: its row comes first, from the list.
        const list = turns.length > 0 && !known ? await remote.conversations.listForUser(operatorId) : [];
        return { turns, list };
      },
      async ({ turns, list }) => {
        if (turns.length === 0) return;
        await local.mirrorConversations(list.filter((c) => c.id === conversationId));
        await local.mirrorTranscript(conversationId, turns);
      },
    );
  }

  const feedback: FeedbackRepository = {
    async save(input) {
      requireOperator(input.userId, `saving feedback on request ${input.requestId}`);
      const saved = await local.write(`saving feedback of user ${input.userId} on request ${input.requestId}`, async (write) => {
        const row = await write.store.feedback.save(input);
        await write.append([{ kind: 'feedback', payload: row }]);
        return row;
      });
      options.onWrite();
      return saved;
    },
    async forRequest(requestId) {
      const mine = (await local.store.feedback.forRequest(requestId)).filter((f) => f.userId === operatorId);
      const shared = await orNothing((remote) => remote.feedback.forRequest(requestId), undefined);
      if (!shared) return mine;
      // The operator's own feedback: the later edit, which may still be in the outbox.
      const merged = shared.map((f) => {
        const here = mine.find((m) => m.userId === f.userId);
        return here && here.updatedAt > f.updatedAt ? here : f;
      });
      for (const here of mine) if (!merged.some((f) => f.userId === here.userId)) merged.push(here);
      return merged.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    // The team's feedback per version (the Deployments dashboard) is Supabase's to tell, under row-level security.
    listGivenSince: (since) => link.run((remote) => remote.feedback.listGivenSince(since)),
  };

  const preferences: PreferenceRepository = {
    async save(preference) {
      requireOperator(preference.userId, 'saving a comparison vote');
      const saved = await local.write(`saving the comparison vote of user ${preference.userId}`, async (write) => {
        const row = await write.store.preferences.save({ ...preference, id: preference.id ?? randomUUID() });
        await write.append([{ kind: 'preference', payload: row }]);
        return row;
      });
      options.onWrite();
      return saved;
    },
    async listForUser(userId, limit) {
      if (userId !== operatorId) return [];
      const mine = await local.store.preferences.listForUser(userId, limit);
      const shared = await orNothing((remote) => remote.preferences.listForUser(userId, limit), []);
      const byId = new Map([...shared, ...mine].map((p) => [p.id, p]));
      return [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id)).slice(0, limit);
    },
    /**
     * The team's votes from Supabase, with the operator's own from the local copy that may still be in the
     * outbox; offline, only the operator's own (the embedded table holds other operators' rows too).
     */
    async listVotes(filter) {
      const mine = (await local.store.preferences.listVotes(filter)).filter((vote) => vote.userId === operatorId);
      const shared = await orNothing((remote) => remote.preferences.listVotes(filter), []);
      const byId = new Map([...mine, ...shared].map((vote) => [vote.id, vote]));
      return [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
  };

  return {
    directory,
    flags,
    settings,
    spaces,
    registry,
    trainingRuns,
    routers,
    evaluations,
    requests,
    conversations,
    feedback,
    preferences,
    knowledge,
    review: createTeamReview({ local, link, onWrite: options.onWrite, logger: options.logger }),
    datasets,
    backend: 'supabase',
    // The local copy is the embedded store's, which the app closes; the Supabase store is the link's.
    close: async () => link.close(),
  };
}
