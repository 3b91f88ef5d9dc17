import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

/**
 * Builds the renderer from the current sources into a fresh folder, so the browser tests never run a stale
 * `out/renderer`. Same root and plugin as the renderer section of electron.vite.config.ts.
 */
export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'triad-e2e-renderer-'));
  await build({
    configFile: false,
    root: resolve(import.meta.dirname, '../../../src-renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      // Two test files build at once on a small machine; rolldown would report its own slowness as a warning.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
  return outDir;
}
