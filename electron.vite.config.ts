import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * In development, @vitejs/plugin-react puts its fast-refresh preamble in an inline <script>, which the CSP
 * header Electron adds to the dev server's pages (script-src 'self') refuses: the renderer would not start.
 * The plugin publishes the same preamble as a module, `@vitejs/plugin-react/preamble`; load that instead,
 * so development runs under the same policy as a build (test/electron/dev-server-csp.test.ts). Builds have
 * no preamble and are left alone.
 */
function preambleAsModule(): Plugin {
  return {
    name: 'triad:react-preamble-as-module',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(/<script type="module">[^<]*injectIntoGlobalHook[^<]*<\/script>/, '<script type="module" src="/@id/@vitejs/plugin-react/preamble"></script>'),
    },
  };
}

// Native and WASM packages (node-llama-cpp, keytar, PGlite, pg) stay external: electron-vite externalises
// dependencies of the main process by default, and they are loaded from node_modules at run time.
export default defineConfig({
  main: {
    build: {
      // The PGlite worker thread is an entry of its own: pglite-executor.ts starts out/main/pglite-worker.js.
      rollupOptions: { input: { index: 'src-main/electron/main.ts', 'pglite-worker': 'src-main/store/adapters/pglite-worker.ts' } },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: 'src-main/electron/preload.ts' },
        // A sandboxed preload cannot use ES modules: it must be one CommonJS file, requiring only 'electron'.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      rollupOptions: { input: { index: 'src-renderer/index.html' } },
      // electron-vite leaves every bundle unminified; the renderer is the one worth shrinking (1.5 MB → ~0.5 MB).
      minify: true,
    },
    plugins: [react(), preambleAsModule()],
  },
});
