import { randomBytes, randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { Role } from '../../src-shared/domain';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import { describeEvaluationStoreContract } from '../evaluation/evaluation-store-contract';
import { thrownBy } from '../store/support';
import { startTeamStack, type TeamStack } from '../support/team-stack/team-stack';

// Evaluations through supabase-js, PostgREST and row-level security (migration 016): the store contract as
// signed-in operators, then what an analyst may not do.

let stack: TeamStack | undefined;
const storesByUser = new Map<string, Promise<TriadStore>>();

async function openSignedIn(credentials: { email: string; password: string }): Promise<TriadStore> {
  const client = await stack!.signIn(credentials);
  return openStore({ backend: 'supabase', url: stack!.url, client });
}

async function startStack(): Promise<TeamStack> {
  stack ??= await startTeamStack();
  return stack;
}

describeEvaluationStoreContract(
  'Supabase (local team stack: PostgREST 12 + PostgreSQL 15)',
  async () => {
    const started = await startStack();
    return openSignedIn(await started.createOperator({ role: 'admin' }));
  },
  (_store, user) => {
    let opened = storesByUser.get(user.id);
    if (!opened) {
      const credentials = { email: `${user.id}@evaluation.triad.test`, password: randomBytes(12).toString('base64url') };
      opened = stack!.createAccount({ id: user.id, ...credentials }).then(() => openSignedIn(credentials));
      storesByUser.set(user.id, opened);
    }
    return opened;
  },
);

describe('evaluations under row-level security', () => {
  interface SignedIn {
    id: string;
    client: SupabaseClient;
    store: TriadStore;
  }
  let analyst: SignedIn;
  let lead: SignedIn;

  async function signUp(role: Role): Promise<SignedIn> {
    const operator = await stack!.createOperator({ role });
    const client = await stack!.signIn(operator);
    const store = await openStore({ backend: 'supabase', url: stack!.url, client });
    storesByUser.set(operator.id, Promise.resolve(store));
    return { id: operator.id, client, store };
  }

  beforeAll(async () => {
    await startStack();
    [analyst, lead] = await Promise.all([signUp('analyst'), signUp('ml_lead')]);
  }, 60_000);

  it('lets an ML lead start, read and judge a run, and an analyst none of it', async () => {
    const model = await lead.store.registry.register({
      name: `acme-ml/triad-base-${randomUUID().slice(0, 6)}`, version: 'd'.repeat(40), tier: 'base', hfModelId: null, hfSpaceId: null, hfSpaceUrl: null,
    });
    const run = await lead.store.evaluations.create(
      {
        candidateModelId: model.id, candidateVersion: `${model.name}@${model.version}`, candidateSource: 'staging', tier: 'base',
        servingVersion: 'acme-ml/triad-base@' + 'e'.repeat(40), datasetVersion: 'acme-ml/base-sft@' + 'f'.repeat(40), judgeModel: null, createdBy: lead.id,
      },
      [{ position: 0, companySlug: null, messages: [{ role: 'user', content: 'Hello?' }], reference: 'Hi.', candidateFirst: true }],
    );
    const [item] = await lead.store.evaluations.items(run.id);
    expect(await lead.store.evaluations.judge(item!.id, 'candidate', { userId: lead.id })).toMatchObject({ verdict: 'candidate', judgedBy: lead.id });

    expect(await analyst.store.evaluations.list({ limit: 10 })).toEqual([]);
    expect(await analyst.store.evaluations.get(run.id)).toBeUndefined();
    expect(await analyst.store.evaluations.items(run.id)).toEqual([]);
    expect(await analyst.store.evaluations.latestCompleted(model.id, 'base')).toBeUndefined();
    const judged = await thrownBy(() => analyst.store.evaluations.judge(item!.id, 'serving', { userId: analyst.id }));
    expect(judged.message).toMatch(/no such item/);
    const started = await thrownBy(() =>
      analyst.store.evaluations.create(
        { candidateModelId: model.id, candidateVersion: 'x@y', candidateSource: 'local', tier: 'base', servingVersion: 'x', datasetVersion: 'x@y', judgeModel: null, createdBy: analyst.id },
        [{ position: 0, companySlug: null, messages: [], reference: null, candidateFirst: false }],
      ),
    );
    expect(TriadError.isInstance(started) && started.code).toBe('forbidden');
    const { data } = await analyst.client.from('evaluation_runs').update({ status: 'completed' }).eq('id', run.id).select();
    expect(data ?? []).toEqual([]);

    // A lead may not record a verdict in someone else's name.
    const other = await thrownBy(() => lead.store.evaluations.judge(item!.id, 'tie', { userId: analyst.id }));
    expect(TriadError.isInstance(other) && other.code).toBe('forbidden');
    const [row] = await stack!.query<{ status: string; verdict: string }>(
      'SELECT r.status, i.verdict FROM evaluation_runs r JOIN evaluation_items i ON i.run_id = r.id WHERE r.id = $1',
      [run.id],
    );
    expect(row).toEqual({ status: 'generating', verdict: 'candidate' });
  });
});

afterAll(async () => {
  await Promise.allSettled([...storesByUser.values()].map(async (store) => (await store).close()));
  await stack?.stop();
});
