import { join, resolve } from 'node:path';
import type { AppServices } from '../app-services';
import { defaultAppPaths } from '../config/app-paths';
import { printProgress } from './cli-io';

/** Options every `triad` subcommand that reads or writes Triad's data accepts. */
export interface DataOptions {
  /** The data folder (default: the app's, or TRIAD_DATA_DIR). */
  dataDir?: string;
}

/**
 * Runs `work` over the same services the app builds (the composition root), on the app's data folder: the
 * command is a second door to the same store, facade and Hub clients, not a copy of them. The embedded
 * database allows one process at a time, so while the app runs on the same folder this fails saying so.
 */
export async function withAppServices<T>(options: DataOptions, work: (services: AppServices) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the app's services (the local runtime, the store drivers) take seconds to import,
  // and `--help` or a command working on a file needs none of them.
  const { createAppServices } = await import('../app-services');
  const paths = defaultAppPaths();
  const dataDir = options.dataDir ? resolve(options.dataDir) : paths.dataDir;
  const services = await createAppServices({
    dataDir,
    cacheDir: paths.cacheDir,
    logDestination: join(dataDir, 'logs', 'triad-cli.log'),
    onModelDownload: ({ downloadedBytes, totalBytes }) =>
      printProgress(`downloading the default model: ${((100 * downloadedBytes) / Math.max(totalBytes, 1)).toFixed(0)}%`, true),
  });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
