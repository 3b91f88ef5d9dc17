import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Native and WASM packages (node-llama-cpp, keytar, PGlite, pg) stay external: electron-vite externalises
// dependencies of the main process by default, and they are loaded from node_modules at run time.
export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: 'src-main/electron/main.ts' } },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: 'src-main/electron/preload.ts' },
        // A sandboxed preload cannot use ES modules: it must be one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      rollupOptions: { input: { index: 'src-renderer/index.html' } },
    },
    plugins: [react()],
  },
});
