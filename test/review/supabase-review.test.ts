import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import { startTeamStack, type TeamStack } from '../support/team-stack/team-stack';
import { describeReviewContract } from './review-contract';

// The review contract through supabase-js, PostgREST and row-level security: the suite's store is a signed-in
// admin; answers, feedback and labels in a user's name are written by that user, signed in.

let stack: TeamStack | undefined;
const storesByUser = new Map<string, Promise<TriadStore>>();

async function openSignedIn(credentials: { email: string; password: string }): Promise<TriadStore> {
  const client = await stack!.signIn(credentials);
  return openStore({ backend: 'supabase', url: stack!.url, client });
}

describeReviewContract(
  'Supabase (local team stack: PostgREST 12 + PostgreSQL 15)',
  async () => {
    stack = await startTeamStack();
    return openSignedIn(await stack.createOperator({ role: 'admin' }));
  },
  (_store, user) => {
    let opened = storesByUser.get(user.id);
    if (!opened) {
      const credentials = { email: `${user.id}@review.triad.test`, password: randomBytes(12).toString('base64url') };
      opened = stack!.createAccount({ id: user.id, ...credentials }).then(() => openSignedIn(credentials));
      storesByUser.set(user.id, opened);
    }
    return opened;
  },
);

afterAll(async () => {
  await Promise.allSettled([...storesByUser.values()].map(async (store) => (await store).close()));
  await stack?.stop();
});
