import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createAppServices, type AppServices, type AppServicesConfig } from '../../src-main/app-services';
import { EnvironmentOverrideSecretStore } from '../../src-main/secrets/environment-override-secret-store';
import { KeychainSecretStore } from '../../src-main/secrets/keychain-secret-store';
import type { StoreConfig } from '../../src-main/store/open-store';

/** A running Triad for tests, with everything it logged. */
export interface TestApp extends AppServices {
  /** Every log line written so far, as text. */
  logText(): string;
  /** The keychain service this app's secrets live under (unique per app). */
  keychainService: string;
}

/** Options of {@link createTestApp}; every one is optional. */
export interface TestAppOptions {
  env?: Record<string, string>;
  store?: StoreConfig;
  secrets?: AppServicesConfig['secrets'];
  requestLogQueueDir?: string;
  /**
   * A data folder on disk (embedded store in `db`, request-log queue beside it), for tests that start the app
   * again on the same data; `store` and `requestLogQueueDir` win over it.
   */
  dataDir?: string;
  /** The keychain service, to start again with the same keychain; unique by default. */
  keychainService?: string;
  /** Team mode's network timing. */
  team?: AppServicesConfig['team'];
}

/**
 * The real composition root on an in-memory PGlite (or the given store or data folder), the tiny GGUF, and the
 * real keychain (the suite's private gnome-keyring) under a service name of its own.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env: Record<string, string | undefined> = {
    TRIAD_MODEL_PATH: process.env.TRIAD_TEST_MODEL_PATH,
    TRIAD_LLAMA_THREADS: '1',
    TRIAD_LLAMA_GPU: 'false',
    TRIAD_LLAMA_SEQUENCES: '4',
    TRIAD_LLAMA_CONTEXT: '1024',
    ...options.env,
  };
  const keychainService = options.keychainService ?? `triad-test-${randomUUID()}`;
  const log = new PassThrough();
  let logged = '';
  log.on('data', (chunk: Buffer) => {
    logged += chunk.toString();
  });
  const services = await createAppServices({
    store: options.store ?? (options.dataDir ? { backend: 'pglite', dataDir: join(options.dataDir, 'db') } : { backend: 'pglite' }),
    cacheDir: mkdtempSync(join(tmpdir(), 'triad-cache-')),
    env,
    logDestination: log,
    logLevel: 'debug',
    secrets:
      options.secrets ??
      ((redactor) => new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor, service: keychainService }), { redactor, env })),
    requestLogQueueDir:
      options.requestLogQueueDir ?? (options.dataDir ? join(options.dataDir, 'request-log-queue') : mkdtempSync(join(tmpdir(), 'triad-log-queue-'))),
    ...(options.team ? { team: options.team } : {}),
  });
  // Suites send hundreds of requests in seconds; the rate-limit tests set their own limits. A team's limits
  // (a restored team session) are the team admin's, and its own defaults.
  const generous = { capacity: 100_000, refillPerMinute: 1_000_000 };
  if (services.store.backend !== 'supabase') {
    await services.settings.set('limits', { perUser: generous, perTier: { base: generous, company: generous, abstraction: generous } });
  }
  return { ...services, keychainService, logText: () => logged };
}
