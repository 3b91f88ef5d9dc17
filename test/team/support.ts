import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { TeamView } from '../../src-shared/ipc-contract';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import type { TeamOperator, TeamStack } from '../support/team-stack/team-stack';

/** Team-mode timing for tests: a retry at least every second while the project is away. */
export const TEST_TEAM_TIMING = { requestTimeoutMs: 5_000, maxRetryDelayMs: 1_000 };

/** A folder for an app's data, to start it again on. */
export function dataFolder(): string {
  return mkdtempSync(join(tmpdir(), 'triad-team-'));
}

/** An app in team mode on `stack`, `operator` signed in. */
export async function signedInApp(stack: TeamStack, operator: TeamOperator, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await createTestApp({ team: TEST_TEAM_TIMING, ...options });
  await app.team.configure({ mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
  await app.team.signIn({ email: operator.email, password: operator.password });
  return app;
}

/** Waits until the outbox is empty and the link online: everything written reached Supabase. */
export async function synced(app: TestApp, timeout = 15_000): Promise<TeamView> {
  await app.requestLog.flush();
  let view: TeamView | undefined;
  await vi.waitFor(
    async () => {
      view = await app.team.view();
      expect(view.sync).toMatchObject({ state: 'online', pending: 0 });
    },
    { timeout, interval: 100 },
  );
  return view!;
}
