import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine, so the files ran one
    // after another while most of them wait on child processes, sockets and timers. Two keep both cores busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Unhandled rejections fail the run: the facade promises never to leave one behind.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
