import { resolve } from 'node:path';
import { startPostgresServer } from '../support/postgres-server';
import { startSecretService } from '../support/secret-service';
import { locateTestModel } from './test-model';

/**
 * Starts the real services the suite needs, once per run: a throwaway PostgreSQL cluster and a private
 * D-Bus session with gnome-keyring as the Secret Service. Workers inherit the environment set here.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const modelPath = await locateTestModel(resolve(import.meta.dirname, '../..'));
  process.env.TRIAD_TEST_MODEL_PATH = modelPath;
  // The tiny model is fastest on one thread; more threads only contend on a 2-core machine.
  process.env.TRIAD_LLAMA_THREADS ??= '1';
  process.env.TRIAD_LLAMA_GPU ??= 'false';

  const postgres = await startPostgresServer();
  process.env.TRIAD_TEST_POSTGRES_URL = postgres.url;
  const secretService = await startSecretService();
  process.env.DBUS_SESSION_BUS_ADDRESS = secretService.busAddress;

  return async () => {
    await Promise.allSettled([postgres.stop(), secretService.stop()]);
  };
}
