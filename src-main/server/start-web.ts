/**
 * `npm run start:web`: Triad in a browser, for machines where Electron cannot run. Serves the built renderer
 * (out/renderer, which the npm script builds first) and the IPC contract on 127.0.0.1 with the embedded
 * default services, and prints the address with a fresh session token.
 *
 * Options: `--port <n>` (or TRIAD_WEB_PORT; 0, the default, picks a free port), `--data-dir <dir>` (or
 * TRIAD_DATA_DIR) and `--renderer-dir <dir>` (a built renderer other than out/renderer). The other TRIAD_*
 * variables apply as in the desktop app.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../app-services';
import { defaultAppPaths } from '../config/app-paths';
import { startWebServer } from './http-server';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'renderer-dir': { type: 'string' } } });
const port = Number(values.port ?? process.env.TRIAD_WEB_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number (0 picks a free one), got '${values.port ?? process.env.TRIAD_WEB_PORT}'`);
  process.exit(2);
}
const rendererDir = resolve(values['renderer-dir'] ?? join(import.meta.dirname, '../../out/renderer'));
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`no built renderer in ${rendererDir}: run \`npm run build\` first (npm run start:web does)`);
  process.exit(2);
}
const paths = defaultAppPaths();
const dataDir = values['data-dir'] ? resolve(values['data-dir']) : paths.dataDir;
const logFile = join(dataDir, 'logs', 'triad-web.log');

const services = await createAppServices({
  dataDir,
  cacheDir: paths.cacheDir,
  logDestination: logFile,
  onModelDownload: ({ downloadedBytes, totalBytes }) =>
    process.stderr.write(`\rdownloading the default model: ${((100 * downloadedBytes) / Math.max(totalBytes, 1)).toFixed(0)}%`),
});
const web = await startWebServer({ services, rendererDir, port }).catch(async (error: unknown) => {
  await services.close();
  throw error;
});
console.log(`Triad is running at ${web.url}`);
console.log(`data: ${dataDir}   log: ${logFile}   stop: Ctrl+C`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`\n${signal}: stopping`);
  try {
    await web.close();
    await services.close();
    process.exit(0);
  } catch (error) {
    console.error('could not stop cleanly:', error);
    process.exit(1);
  }
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
