import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Unhandled rejections fail the run: the facade promises never to leave one behind.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
