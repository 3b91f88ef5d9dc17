import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startPostgresServer } from '../support/postgres-server';
import { startSecretService } from '../support/secret-service';

/**
 * Starts the real services the suite needs, once per run: a throwaway PostgreSQL cluster and a private
 * D-Bus session with gnome-keyring as the Secret Service. Workers inherit the environment set here.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const modelPath = process.env.TRIAD_TEST_MODEL_PATH ?? resolve(import.meta.dirname, '../../../shared/models/llama-2-tiny-random.gguf');
  if (!existsSync(modelPath)) {
    throw new Error(
      `test model not found at ${modelPath}: set TRIAD_TEST_MODEL_PATH to llama-2-tiny-random.gguf ` +
        '(from the Hugging Face repository aladar/llama-2-tiny-random-GGUF)',
    );
  }
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
