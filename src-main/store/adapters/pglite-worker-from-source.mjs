// The PGlite worker's entry when Triad runs from source (tsx, vitest): a worker thread gets none of the
// main thread's loaders under vitest, so this loads the TypeScript entry through tsx's API. Built bundles
// start pglite-worker.js directly.
import { tsImport } from 'tsx/esm/api';

await tsImport('./pglite-worker.ts', import.meta.url);
