import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { Role } from '../../src-shared/domain';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';
import { startTeamStack, type TeamStack } from '../support/team-stack/team-stack';

// Row-level security of dataset_versions and triad_dataset_sources (migrations/012), probed through PostgREST
// as real operators signed in to the team stack.

interface SignedIn {
  id: string;
  client: SupabaseClient;
  store: TriadStore;
}

let stack: TeamStack;
let analyst: SignedIn;
let lead: SignedIn;
const X = `dx-${randomUUID().slice(0, 6)}`;
const Y = `dy-${randomUUID().slice(0, 6)}`;

async function signUp(role: Role, companies: string[]): Promise<SignedIn> {
  const operator = await stack.createOperator({ role, companies });
  const client = await stack.signIn(operator);
  return { id: operator.id, client, store: await openStore({ backend: 'supabase', url: stack.url, client }) };
}

beforeAll(async () => {
  stack = await startTeamStack();
  [analyst, lead] = await Promise.all([signUp('analyst', [X, Y]), signUp('ml_lead', [X])]);
  for (const [slug, prompt] of [
    [X, 'x question'],
    [Y, 'y question'],
  ] as const) {
    await analyst.store.requests.record(makeEntry({ userId: analyst.id, companySlug: slug, requestedTier: 'company', tier: 'company', prompt: { id: randomUUID(), content: prompt } }));
  }
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('datasets under row-level security', () => {
  it('lets an ML lead record and read dataset versions, and an analyst neither', async () => {
    const built = await lead.store.datasets.recordBuild({ kind: 'sft', tier: 'base', companySlug: null, counts: { train: 1, eval: 0 }, anonymiserVersion: '1', createdBy: lead.id });
    expect((await lead.store.datasets.list(10)).map((v) => v.id)).toEqual([built.id]);

    expect(await analyst.store.datasets.list(10)).toEqual([]);
    expect(await analyst.store.datasets.get(built.id)).toBeUndefined();
    const refused = await thrownBy(() => analyst.store.datasets.recordBuild({ kind: 'sft', tier: 'base', companySlug: null, counts: {}, anonymiserVersion: '1', createdBy: analyst.id }));
    expect(TriadError.isInstance(refused) && refused.code).toBe('forbidden');
    const { data } = await analyst.client.from('dataset_versions').update({ status: 'built' }).eq('id', built.id).select();
    expect(data ?? []).toEqual([]);
    const [row] = await stack.query<{ status: string }>('SELECT status FROM dataset_versions WHERE id = $1', [built.id]);
    expect(row?.status).toBe('built');
  });

  it("keeps an ML lead's dataset sources to the companies they may read", async () => {
    const fromX = await lead.store.datasets.sources({ tier: 'company', company: X });
    expect(fromX.requests.map((r) => r.prompt)).toEqual(['x question']);
    expect((await lead.store.datasets.sources({ tier: 'company', company: Y })).requests).toEqual([]);
    expect((await lead.store.datasets.sources({ tier: 'company', company: null })).requests.map((r) => r.companySlug)).toEqual([X]);
  });
});
