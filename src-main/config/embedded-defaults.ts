import type { TriadStore, UserAccess } from '../store/repositories';
import type { DemoWorkspace } from './demo-workspace';
import { DEMO_COMPANIES } from './demo-workspace-content';

/** The operator of an embedded (single-user) Triad: the person at this computer. */
export const LOCAL_OPERATOR_ID = '00000000-0000-4000-8000-000000000001';

/** The demo company a fresh embedded store's company context starts on (slug 'acme', as the old sample's). */
export const SAMPLE_COMPANY = { slug: DEMO_COMPANIES[0]!.slug, name: DEMO_COMPANIES[0]!.name } as const;

/**
 * Makes a new embedded store usable at once: the local operator (an admin, since they own the data) and, given
 * the embedded store's demo workspace, the demo (companies, knowledge, insights, company context), so that all
 * three tiers answer. A store that already has its operator is never seeded again; one from before the demo
 * workspace has its old sample data recorded as the demo. Without a demo workspace (a Supabase store) only
 * the operator is ensured.
 */
export async function ensureEmbeddedDefaults(store: TriadStore, demo?: DemoWorkspace): Promise<UserAccess> {
  const existing = await store.directory.getUserAccess(LOCAL_OPERATOR_ID);
  if (!existing) await store.directory.createUser({ id: LOCAL_OPERATOR_ID, displayName: 'Local operator', role: 'admin' });
  if (demo) {
    if (existing) await demo.adoptLegacySample();
    else await demo.seed(LOCAL_OPERATOR_ID);
  }
  const operator = await store.directory.getUserAccess(LOCAL_OPERATOR_ID);
  if (!operator) throw new Error('the local operator was not saved');
  return operator;
}
