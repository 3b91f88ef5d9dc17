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

/**
 * The real composition root on an in-memory PGlite (or the given store), the tiny GGUF, and the real
 * keychain (the suite's private gnome-keyring) under a service name of its own.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; store?: StoreConfig; secrets?: AppServicesConfig['secrets']; requestLogQueueDir?: string } = {},
): Promise<TestApp> {
  const env: Record<string, string | undefined> = {
    TRIAD_MODEL_PATH: process.env.TRIAD_TEST_MODEL_PATH,
    TRIAD_LLAMA_THREADS: '1',
    TRIAD_LLAMA_GPU: 'false',
    TRIAD_LLAMA_SEQUENCES: '4',
    TRIAD_LLAMA_CONTEXT: '1024',
    ...options.env,
  };
  const keychainService = `triad-test-${randomUUID()}`;
  const log = new PassThrough();
  let logged = '';
  log.on('data', (chunk: Buffer) => {
    logged += chunk.toString();
  });
  const services = await createAppServices({
    store: options.store ?? { backend: 'pglite' },
    cacheDir: mkdtempSync(join(tmpdir(), 'triad-cache-')),
    env,
    logDestination: log,
    logLevel: 'debug',
    secrets:
      options.secrets ??
      ((redactor) => new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor, service: keychainService }), { redactor, env })),
    requestLogQueueDir: options.requestLogQueueDir ?? mkdtempSync(join(tmpdir(), 'triad-log-queue-')),
  });
  // Suites send hundreds of requests in seconds; the rate-limit tests set their own limits.
  const generous = { capacity: 100_000, refillPerMinute: 1_000_000 };
  await services.settings.set('limits', { perUser: generous, perTier: { base: generous, company: generous, abstraction: generous } });
  return { ...services, keychainService, logText: () => logged };
}
