import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SettingsService } from './config/settings-service';
import { DemoWorkspace } from './config/demo-workspace';
import { ensureEmbeddedDefaults } from './config/embedded-defaults';
import { DatasetService } from './datasets/dataset-service';
import { ChatModelFactory } from './llm/chat-model-factory';
import { FeatureFlagService } from './llm/feature-flag-service';
import { LlmFacade } from './llm/llm-facade';
import { ModelSelector } from './llm/model-selector';
import { TargetResolver } from './llm/model-target';
import { LlamaModelPool, type LlamaRuntimeOptions } from './llm/providers/local/llama-model-pool';
import { LocalModelFiles, type ModelDownloadProgress } from './llm/providers/local/local-model-files';
import { createTierPromptSteps } from './llm/tier-prompt-steps';
import { CircuitBreakers } from './llm/routing/circuit-breakers';
import { RouteExecutor } from './llm/routing/route-executor';
import { SpaceWaker } from './llm/routing/space-waker';
import { prewarmSpaces } from './llm/routing/space-prewarm';
import { createLogger } from './logging/logger';
import { RoutedRequestLog } from './logging/request-log';
import { RequestLogWriter } from './logging/request-log-writer';
import { RateLimiter } from './llm/rate-limiter';
import { ResponseCache } from './llm/response-cache';
import { EnvironmentOverrideSecretStore } from './secrets/environment-override-secret-store';
import { KeychainSecretStore } from './secrets/keychain-secret-store';
import { TokenSecretRedactor } from './secrets/secret-redactor';
import type { SecretRedactor, SecretStore } from './secrets/secret-store';
import { cachedDirectory, cachedFlags, cachedSettings, cachedSpaces, ReadCache } from './store/cached-reads';
import { openSqlStore, openStore, type SqlStore, type StoreConfig } from './store/open-store';
import type { TriadStore, UserAccess } from './store/repositories';
import type { SqlExecutor } from './store/sql-executor';
import { ActiveStore } from './team/active-store';
import { createHubFetch } from './hub/hub-fetch';
import { TrainingRuns } from './training/training-runs';
import { TierRouterBook } from './router/tier-router-book';
import { TierRouterService } from './router/tier-router-service';
import { EvaluationRuns } from './evaluation/evaluation-runs';
import { installationId } from './deploy/installation-id';
import { SpaceDeployer } from './deploy/space-deployer';
import { SpaceApi } from './hub/space-api';
import { TeamController } from './team/team-controller';
import type { TeamView } from '../src-shared/ipc-contract';

/** What the composition root needs to know; everything else has a default. */
export interface AppServicesConfig {
  /** Where the data lives: PGlite in `<dataDir>/db` unless a store is given. */
  dataDir?: string;
  store?: StoreConfig;
  /** Where the default model is downloaded to. */
  cacheDir: string;
  env?: Record<string, string | undefined>;
  logDestination?: string | NodeJS.WritableStream;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Replaces the OS keychain (tests that are not about the keychain). */
  secrets?: (redactor: SecretRedactor) => SecretStore;
  onModelDownload?: (progress: ModelDownloadProgress) => void;
  /** Where request-log entries wait while the store is unavailable (default: beside the data). */
  requestLogQueueDir?: string;
  /** Team mode's network timing (tests shorten it). */
  team?: { requestTimeoutMs?: number; maxRetryDelayMs?: number };
}

/** The services of one running Triad, built once and passed to whoever needs them. */
export interface AppServices {
  /** The store in use: the embedded store, or a team store while an operator is signed in to Supabase. */
  store: TriadStore;
  /** Team mode: the Supabase connection, the operator's session, the offline outbox. */
  team: TeamController;
  secrets: SecretStore;
  redactor: SecretRedactor;
  logger: Logger;
  flags: FeatureFlagService;
  settings: SettingsService;
  facade: LlmFacade;
  /** The batched, durable request-log writer; `flush()` before reading what was just logged. */
  requestLog: RoutedRequestLog;
  /** One circuit breaker per remote endpoint, for the status bar and the dashboard. */
  breakers: CircuitBreakers;
  /** The operator the embedded default runs as. */
  localOperator: UserAccess;
  /** SFT / DPO datasets: build from the store, push to the Hub (HF_ENDPOINT). */
  datasets: DatasetService;
  /** The demo workspace of the embedded store (PGlite or PostgreSQL); undefined on a Supabase store. */
  demoWorkspace: DemoWorkspace | undefined;
  /** Training runs on Hugging Face Jobs: launched, followed, registered. */
  training: TrainingRuns;
  /** The companies' learned tier routers: trained from votes, evaluated, and what the selector's `learned` rule uses. */
  routers: TierRouterService;
  /** Evaluation runs: a candidate against the version serving its tier, judged blind. */
  evaluations: EvaluationRuns;
  /** Deploys of registered model versions to the tiers' Spaces, and rollbacks. */
  deployer: SpaceDeployer;
  /** The Hub's Space management calls (runtime, hardware and prices), for the Deployment dashboard. */
  spaceApi: SpaceApi;
  /** Wakes the configured Spaces (done at start when the `routing.prewarm` setting is on); returns their names. */
  prewarm(): Promise<string[]>;
  close(): Promise<void>;
}

/** How long configuration read from the store is reused before it is read again. */
const CONFIG_READ_TTL_MS = 1_000;

/**
 * The store with memoised configuration reads (see ReadCache): the facade reads flags, settings, the user's
 * access and the Spaces on every request, cheaply, and keeps answering from the last values if the store goes away.
 */
function withCachedReads(store: TriadStore, cache: ReadCache): TriadStore {
  const directory = cachedDirectory(store.directory, cache);
  const flags = cachedFlags(store.flags, cache);
  const settings = cachedSettings(store.settings, cache);
  const spaces = cachedSpaces(store.spaces, cache);
  return {
    directory,
    flags,
    settings,
    spaces,
    // Read through `store` at each use: team mode changes the store behind it.
    get registry() {
      return store.registry;
    },
    get requests() {
      return store.requests;
    },
    get conversations() {
      return store.conversations;
    },
    get feedback() {
      return store.feedback;
    },
    get preferences() {
      return store.preferences;
    },
    get knowledge() {
      return store.knowledge;
    },
    get datasets() {
      return store.datasets;
    },
    get review() {
      return store.review;
    },
    get trainingRuns() {
      return store.trainingRuns;
    },
    get routers() {
      return store.routers;
    },
    get evaluations() {
      return store.evaluations;
    },
    get backend() {
      return store.backend;
    },
    close: () => store.close(),
  };
}

/** Reads the local runtime settings from the environment (TRIAD_LLAMA_*). */
export function llamaRuntimeFromEnv(env: Record<string, string | undefined>): LlamaRuntimeOptions {
  const int = (name: string, fallback: number | undefined) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
    return value;
  };
  return {
    gpu: env.TRIAD_LLAMA_GPU === 'false' ? false : 'auto',
    threads: int('TRIAD_LLAMA_THREADS', undefined),
    contextSize: int('TRIAD_LLAMA_CONTEXT', 4096)!,
    sequencesPerModel: int('TRIAD_LLAMA_SEQUENCES', 4)!,
  };
}

/** The composition root: builds every service from the configuration. */
export async function createAppServices(config: AppServicesConfig): Promise<AppServices> {
  const env = config.env ?? process.env;
  const redactor = new TokenSecretRedactor();
  const logger = createLogger({ redactor, level: config.logLevel ?? 'info', destination: config.logDestination });
  const secrets =
    config.secrets?.(redactor) ?? new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor }), { redactor, env });
  void secrets.status().then(({ keychain }) => {
    if (!keychain.available) logger.warn({ detail: keychain.detail }, 'no OS keychain: API keys can come only from HF_TOKEN / OPENAI_API_KEY');
  });
  const storeConfig: StoreConfig = config.store ?? { backend: 'pglite', dataDir: join(config.dataDir ?? '.', 'db') };
  // The embedded store (or PostgreSQL): the app's store, and team mode's local copy. Team mode switches the
  // store in use (`active`) while an operator is signed in to Supabase.
  const embedded: { store: TriadStore; executor?: SqlExecutor; openRequestLog?: SqlStore['openRequestLog'] } =
    storeConfig.backend === 'supabase' ? { store: await openStore(storeConfig) } : await openSqlStore(storeConfig);
  const active = new ActiveStore(embedded.store);
  const cache = new ReadCache(CONFIG_READ_TTL_MS, (key, error) => logger.warn({ key, err: error }, 'store unavailable: using the last configuration read'));
  const store = withCachedReads(active, cache);
  const pool = new LlamaModelPool(llamaRuntimeFromEnv(env));
  // Team mode restores a signed-in operator's session at start: entries a previous run left on disk wait for it,
  // so that they go to the store of the operator who logged them (in team mode, the local copy and the outbox).
  let teamStarted = false;
  let teamReady!: () => void;
  const storeInUse = new Promise<void>((resolve) => (teamReady = resolve));
  // Request rows are written off the response path; while the store is away they wait on disk beside it.
  const queueDir = config.requestLogQueueDir ?? join(config.dataDir ?? config.cacheDir, 'request-log-queue');
  const mainThreadLog = new RequestLogWriter({
    target: {
      recordMany: async (entries) => {
        await storeInUse;
        return store.requests.recordMany(entries);
      },
    },
    queueDir,
    logger,
  });
  // While the embedded store is in use, its writer runs in the PGlite worker, with a disk queue of its own.
  const hostedLog = await embedded.openRequestLog?.({ queueDir: join(queueDir, 'embedded'), logger, fallback: mainThreadLog }).catch((error: unknown) => {
    logger.warn({ err: error }, 'the request log could not start in the PGlite worker; the main thread writes it');
    return undefined;
  });
  const requestLog = new RoutedRequestLog(mainThreadLog, hostedLog, () => teamStarted && active.usingEmbedded);
  let team: TeamController | undefined;
  let storeToReadInTeam = false;
  let training: TrainingRuns | undefined;
  let evaluations: EvaluationRuns | undefined;
  try {
    // Seeded only into the embedded store, never into a team's project; its writes refresh the memoised reads.
    const demoWorkspace = embedded.executor ? new DemoWorkspace(embedded.executor, () => cache.invalidate('')) : undefined;
    const localOperator = await ensureEmbeddedDefaults(store, demoWorkspace);
    // Kept in the embedded store (the data folder); an app whose own store is a team's project has none to keep it in.
    const installation = embedded.store.backend === 'supabase' ? randomUUID() : await installationId(embedded.store.settings);
    const settings = new SettingsService(store.settings);
    const flags = new FeatureFlagService(store.flags, env);
    const localFiles = new LocalModelFiles({
      cacheDir: join(config.cacheDir, 'models'),
      envModelPath: env.TRIAD_MODEL_PATH || undefined,
      hubEndpoint: env.HF_ENDPOINT || undefined,
      getHubToken: () => secrets.get('huggingface-token').catch(() => undefined),
      onProgress: (progress) => {
        logger.info(progress, 'downloading the default local model');
        config.onModelDownload?.(progress);
      },
    });
    const targets = new TargetResolver(store.spaces, settings);
    const models = new ChatModelFactory({ pool, localFiles, secrets });
    const breakers = new CircuitBreakers();
    const cacheSettings = await settings.get('cache');
    const waker = new SpaceWaker({ hubUrl: env.HF_ENDPOINT || 'https://huggingface.co', getToken: () => secrets.get('huggingface-token') });
    // The routers the `learned` rule scores with, in memory; read again every few seconds, and at once after a training here.
    const routerBook = new TierRouterBook(() => store.routers, {
      onError: (error) => logger.warn({ err: error }, 'could not read the tier routers: the last ones read keep serving'),
    });
    const facade = new LlmFacade({
      directory: store.directory,
      flags,
      selector: new ModelSelector(targets, routerBook),
      models,
      router: new RouteExecutor({ targets, models, breakers, waker }),
      cache: cacheSettings.enabled ? new ResponseCache({ ttlMs: cacheSettings.ttlMs }) : undefined,
      limits: new RateLimiter({ settings: await settings.get('limits') }),
      promptSteps: createTierPromptSteps(store.knowledge),
      settings,
      requestLog,
      redactor,
      logger,
    });
    const teamController = new TeamController({
      local: embedded.executor ? { store: embedded.store, executor: embedded.executor } : undefined,
      secrets,
      logger,
      ...config.team,
      useStore: async (next) => {
        // Entries the writer holds belong to the store in use until now (at start, there is none yet).
        if (teamStarted) await requestLog.flush().catch(() => undefined);
        active.use(next);
        cache.invalidate('');
        void routerBook.refresh();
        storeToReadInTeam = next !== undefined;
        if (teamStarted && next) setTimeout(() => void readTeamStoreOnceOnline(), 0);
      },
    });
    team = teamController;
    const hubUrl = env.HF_ENDPOINT || 'https://huggingface.co';
    const trainingRuns = new TrainingRuns({
      runs: () => store.trainingRuns,
      getToken: () => secrets.get('huggingface-token'),
      hubUrl,
      fetch: createHubFetch({ onWait: (wait) => logger.info(wait, 'waiting for the Hub') }),
      logger,
    });
    training = trainingRuns;
    const evaluationRuns = new EvaluationRuns({
      store: () => store,
      flags,
      targets,
      models,
      settings,
      hubUrl,
      fetch: createHubFetch({ onWait: (wait) => logger.info(wait, 'waiting for the Hub') }),
      getToken: () => secrets.get('huggingface-token'),
      cacheDir: join(config.cacheDir, 'models', 'candidates'),
      logger,
    });
    evaluations = evaluationRuns;
    const hubFetch = createHubFetch({ onWait: (wait) => logger.info(wait, 'waiting for the Hub') });
    const getHubToken = () => secrets.get('huggingface-token');
    const spaceApi = new SpaceApi({ hubUrl, fetch: hubFetch, getToken: () => getHubToken().catch(() => undefined) });
    // What the app was doing when it last closed, taken up from the store.
    const takeUpInterruptedWork = () => {
      // Training runs are followed again. Another computer of the team may follow one too: the store records its
      // stages, progress and model once whoever writes them (migrations 014 and 019).
      void trainingRuns.resume().catch((error: unknown) => logger.warn({ err: error }, 'could not resume training runs'));
      // Evaluations carry on with their unanswered items (an answer is recorded once per side).
      void evaluationRuns.resume().catch((error: unknown) => logger.warn({ err: error }, 'could not resume evaluation runs'));
      // A deploy the app was closed in is marked failed, never left running: in PGlite, which this process alone
      // holds, every running one; elsewhere (a team's project above all) only this installation's, as another
      // computer's may still be at work.
      void deployer.recoverInterrupted({ onlyThisInstallation: store.backend !== 'pglite' }).catch((error: unknown) => logger.warn({ err: error }, 'could not check for interrupted deploys'));
    };
    // A team's project is read once it answers: at start a restored session's link has not answered yet, and a
    // read then gives up. Once per team store (at start, and after each sign-in).
    const readTeamStoreOnceOnline = async (view?: TeamView) => {
      if (!storeToReadInTeam || (view ?? (await teamController.view().catch(() => undefined)))?.sync.state !== 'online') return;
      storeToReadInTeam = false;
      takeUpInterruptedWork();
    };
    const deployer = new SpaceDeployer({
      store: () => store,
      gateSettings: () => settings.get('deploy.gate'),
      spaces: spaceApi,
      hubUrl,
      fetch: hubFetch,
      getToken: getHubToken,
      logger,
      installationId: installation,
    });
    await teamController.start();
    teamStarted = true;
    teamReady();
    if ((await settings.get('routing')).prewarm) void prewarmSpaces(store.spaces, waker).catch(() => undefined);
    teamController.onChange((view) => void readTeamStoreOnceOnline(view));
    if (store.backend === 'supabase') void readTeamStoreOnceOnline();
    else takeUpInterruptedWork();
    return {
      store,
      team: teamController,
      secrets,
      redactor,
      logger,
      flags,
      settings,
      facade,
      training: trainingRuns,
      routers: new TierRouterService({ store, flags, book: routerBook, flushRequestLog: () => requestLog.flush() }),
      evaluations: evaluationRuns,
      deployer,
      spaceApi,
      breakers,
      localOperator,
      demoWorkspace,
      datasets: new DatasetService({
        store,
        secrets,
        redactor,
        hubUrl: env.HF_ENDPOINT || 'https://huggingface.co',
        filesDir: join(config.dataDir ?? config.cacheDir, 'datasets'),
      }),
      prewarm: () => prewarmSpaces(store.spaces, waker),
      requestLog,
      close: async () => {
        // The writer first: what it holds goes into the store in use (in team mode, the local copy and outbox).
        await trainingRuns.close();
        await evaluationRuns.close();
        await requestLog.close();
        await teamController.close();
        await pool.dispose();
        await store.close();
      },
    };
  } catch (error) {
    teamReady();
    await training?.close();
    await evaluations?.close();
    await requestLog.close();
    await team?.close();
    await pool.dispose();
    await store.close();
    throw error;
  }
}
