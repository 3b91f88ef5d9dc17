import type { TeamView } from '../../../src-shared/ipc-contract';

export const teamIds = {
  ana: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  bob: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
};

/** The embedded default: no project, nobody signed in, nothing to sync. */
export function embeddedView(): TeamView {
  return {
    connection: { mode: 'embedded', url: null, anonKeySet: false },
    session: null,
    sync: { state: 'embedded', pending: 0, lastSuccessAt: null, lastError: null },
  };
}

/** A Supabase project with nobody signed in. */
export function signedOutView(url = 'http://127.0.0.1:54321'): TeamView {
  return {
    connection: { mode: 'supabase', url, anonKeySet: true },
    session: null,
    sync: { state: 'signed-out', pending: 0, lastSuccessAt: null, lastError: null },
  };
}

/** A Supabase project with an operator signed in and writes reaching it. */
export function signedInView(operator: { userId?: string; email?: string; displayName?: string } = {}, url = 'http://127.0.0.1:54321'): TeamView {
  return {
    connection: { mode: 'supabase', url, anonKeySet: true },
    session: {
      userId: operator.userId ?? teamIds.ana,
      email: operator.email ?? 'ana@team.test',
      displayName: operator.displayName ?? 'Ana Analyst',
      role: 'analyst',
      companies: ['acme'],
      expiresAt: '2026-01-01T01:00:00.000Z',
    },
    sync: { state: 'online', pending: 0, lastSuccessAt: '2026-01-01T00:00:00.000Z', lastError: null },
  };
}
