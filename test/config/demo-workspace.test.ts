import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoWorkspace } from '../../src-main/config/demo-workspace';
import { ensureEmbeddedDefaults, LOCAL_OPERATOR_ID } from '../../src-main/config/embedded-defaults';
import { openSqlStore, type SqlStoreConfig } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import type { SqlExecutor } from '../../src-main/store/sql-executor';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiClient, type ApiClient } from '../team/api-client';

const DEMO_SLUGS = ['acme', 'northwind-coffee'];

/** PostgreSQL databases made for the current test, dropped after it. */
const databases: TestDatabase[] = [];
async function addDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

/** Every insight the Abstraction step could add, by title (a query with no match returns the most recent). */
async function insightTitles(store: TriadStore): Promise<string[]> {
  return (await store.knowledge.searchCrossCompanyInsights('zzzz', 100)).map((insight) => insight.title).sort();
}

async function started(dataDir: string): Promise<{ app: TestApp; client: ApiClient }> {
  const app = await createTestApp({ dataDir });
  return { app, client: apiClient(app) };
}

describe('the demo workspace of a fresh install, through the API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'triad-demo-'));
  let app: TestApp;
  let client: ApiClient;

  beforeAll(async () => {
    ({ app, client } = await started(dataDir));
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function restart(): Promise<void> {
    client.close();
    await app.close();
    ({ app, client } = await started(dataDir));
  }

  it('starts with two labelled demo companies, their knowledge, insights and the company context on Acme', async () => {
    const view = await client.call('settings.get', {});
    expect(view.companyContext).toBe('acme');
    expect(view.companies.map((c) => c.slug).sort()).toEqual(DEMO_SLUGS);
    expect(view.companies.every((c) => c.name.endsWith('(demo)'))).toBe(true);
    expect(view.demoWorkspace).toEqual({
      companies: [
        { slug: 'acme', name: 'Acme Manufacturing (demo)' },
        { slug: 'northwind-coffee', name: 'Northwind Coffee Roasters (demo)' },
      ],
      knowledgeSnippets: 6,
      insights: 4,
    });
    const [refunds] = await app.store.knowledge.searchCompanySnippets('acme', 'refund policy', 1);
    expect(refunds?.content).toContain('60 days');
    expect(await insightTitles(app.store)).toHaveLength(4);
  });

  it('answers a company question on Company and a cross-business one on Abstraction, with no setup', async () => {
    const company = await client.call('chat.start', { prompt: 'What is our refund policy?', params: { maxTokens: 4 } });
    const abstraction = await client.call('chat.start', { prompt: 'What is the industry average refund rate?', params: { maxTokens: 4 } });
    expect((await client.streamed(company.streamId))[0]).toMatchObject({ tier: 'company', routingReason: "company context 'acme' and user has access" });
    expect((await client.streamed(abstraction.streamId))[0]).toMatchObject({ tier: 'abstraction', routingReason: "cross-business question ('industry average')" });
  }, 30_000);

  it('seeds nothing twice when the app starts again', async () => {
    await restart();
    const view = await client.call('settings.get', {});
    expect(view.companies.map((c) => c.slug).sort()).toEqual(DEMO_SLUGS);
    expect(view.demoWorkspace).toMatchObject({ knowledgeSnippets: 6, insights: 4 });
    expect(await insightTitles(app.store)).toHaveLength(4);
  }, 60_000);

  it("removes exactly the demo, keeping the user's own company, knowledge, insight and conversations", async () => {
    await app.store.directory.createCompany({ slug: 'own-co', name: 'Own Co' });
    await app.store.directory.grantCompanyAccess(app.localOperator.id, 'own-co');
    await app.store.knowledge.addCompanySnippet('own-co', { title: 'Our refund policy', content: 'Own Co refunds within 14 days.' });
    await app.store.knowledge.addCrossCompanyInsight({ sector: 'retail', title: 'My own insight', content: 'Returns peak in January.', sampleSize: 12 });
    const aboutAcme = await client.call('chat.start', { prompt: 'Who are our key accounts?', params: { maxTokens: 4 } });
    await client.streamed(aboutAcme.streamId);

    const view = await client.call('settings.removeDemoWorkspace', {});
    expect(view.demoWorkspace).toBeUndefined();
    expect(view.companyContext).toBeNull();
    expect(view.companies).toEqual([{ slug: 'own-co', name: 'Own Co' }]);
    expect(await app.store.directory.findCompany('acme')).toBeUndefined();
    expect(await app.store.knowledge.searchCompanySnippets('acme', 'refund', 5)).toEqual([]);
    expect(await app.store.knowledge.searchCompanySnippets('own-co', 'refund', 5)).toEqual([{ title: 'Our refund policy', content: 'Own Co refunds within 14 days.' }]);
    expect(await insightTitles(app.store)).toEqual(['My own insight']);
    expect((await client.call('conversations.list', {})).map((c) => c.id)).toContain(aboutAcme.conversationId);
    expect(app.logText()).toContain('demo workspace removed');
  }, 30_000);

  it('makes the Company tier say it needs a company context, and removing again changes nothing', async () => {
    const compared = await client.call('compare.start', { prompt: 'Lead times?', tiers: ['base', 'company'], params: { maxTokens: 4 } });
    const [base, company] = await Promise.all(compared.columns.map((column) => client.streamed(column.streamId)));
    expect(base!.at(-1)).toMatchObject({ type: 'finish' });
    expect(company!.at(-1)).toMatchObject({ type: 'error', error: { code: 'validation_failed', message: 'context.company: the company tier needs a company context' } });
    const again = await client.call('settings.removeDemoWorkspace', {});
    expect(again.companies).toEqual([{ slug: 'own-co', name: 'Own Co' }]);
    expect(again.demoWorkspace).toBeUndefined();
  }, 30_000);

  it('never seeds the demo again after it was removed', async () => {
    await restart();
    const view = await client.call('settings.get', {});
    expect(view.demoWorkspace).toBeUndefined();
    expect(view.companyContext).toBeNull();
    expect(view.companies.map((c) => c.slug)).toEqual(['own-co']);
    expect(await insightTitles(app.store)).toEqual(['My own insight']);
  }, 60_000);
});

describe.each([
  ['PGlite', async (): Promise<SqlStoreConfig> => ({ backend: 'pglite' })],
  ['PostgreSQL', async (): Promise<SqlStoreConfig> => ({ backend: 'postgres', connectionString: (await addDatabase()).url })],
])('the demo workspace on %s', (_backend, config) => {
  let store: TriadStore;
  let executor: SqlExecutor;
  let demo: DemoWorkspace;

  afterEach(async () => {
    await store?.close();
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });

  async function open(): Promise<void> {
    ({ store, executor } = await openSqlStore(await config()));
    demo = new DemoWorkspace(executor);
  }

  /** A store as earlier versions left it: the operator, the 'acme' sample data, no demo record. */
  async function storeFromBeforeTheDemo(): Promise<void> {
    await store.directory.createUser({ id: LOCAL_OPERATOR_ID, displayName: 'Local operator', role: 'admin' });
    await store.directory.createCompany({ slug: 'acme', name: 'Acme Manufacturing (sample data)' });
    await store.directory.grantCompanyAccess(LOCAL_OPERATOR_ID, 'acme');
    await store.knowledge.addCompanySnippet('acme', { title: 'Refund policy', content: 'Acme refunds unused parts within 60 days of delivery; custom-machined parts are not refundable.' });
    for (const insight of [
      { sector: 'manufacturing', title: 'Refund rates', content: 'Across 212 mid-sized manufacturers, refund rates on standard parts cluster between 1.5% and 3%.', sampleSize: 212 },
      { sector: 'manufacturing', title: 'Lead-time trends', content: 'Custom-part lead times across comparable firms shortened by about 15% after adopting shared tooling libraries.', sampleSize: 87 },
      { sector: null, title: 'Customer concentration', content: 'Businesses whose top three customers exceed 40% of revenue show twice the revenue volatility of their peers.', sampleSize: 1530 },
      // The user's own, with a sample insight's title: only exact sample rows are the demo's.
      { sector: null, title: 'Refund rates', content: 'Our own survey: refunds run at 2.2%.', sampleSize: 30 },
    ]) {
      await store.knowledge.addCrossCompanyInsight(insight);
    }
  }

  it('seeds a fresh store once, with the operator given access to the demo companies', async () => {
    await open();
    const operator = await ensureEmbeddedDefaults(store, demo);
    expect(operator.companySlugs).toEqual(DEMO_SLUGS);
    expect(await store.settings.get('session.companyContext')).toEqual({ company: 'acme' });
    await ensureEmbeddedDefaults(store, demo);
    expect(await demo.seed(LOCAL_OPERATOR_ID)).toBe(false);
    expect((await store.directory.listCompanies()).map((c) => c.slug).sort()).toEqual(DEMO_SLUGS);
    expect(await insightTitles(store)).toHaveLength(4);
  });

  it('seeds nothing but the operator without a demo workspace (a Supabase store)', async () => {
    await open();
    const operator = await ensureEmbeddedDefaults(store);
    expect(operator).toMatchObject({ id: LOCAL_OPERATOR_ID, role: 'admin', companySlugs: [] });
    expect(await store.directory.listCompanies()).toEqual([]);
    expect(await insightTitles(store)).toEqual([]);
    expect(await store.settings.get('session.companyContext')).toBeUndefined();
  });

  it('leaves a company whose slug is taken alone and does not record it', async () => {
    await open();
    await store.directory.createCompany({ slug: 'northwind-coffee', name: 'Northwind, the real one' });
    await store.directory.createUser({ id: LOCAL_OPERATOR_ID, displayName: 'Local operator', role: 'admin' });
    expect(await demo.seed(LOCAL_OPERATOR_ID)).toBe(true);
    expect((await demo.describe())?.companies).toEqual([{ slug: 'acme', name: 'Acme Manufacturing (demo)' }]);
    await demo.remove();
    expect(await store.directory.listCompanies()).toMatchObject([{ slug: 'northwind-coffee', name: 'Northwind, the real one' }]);
  });

  it("keeps a company context on the user's own company when the demo is removed", async () => {
    await open();
    await ensureEmbeddedDefaults(store, demo);
    await store.directory.createCompany({ slug: 'own-co', name: 'Own Co' });
    await store.settings.set('session.companyContext', { company: 'own-co' });
    expect(await demo.remove()).toEqual({ companies: ['acme', 'northwind-coffee'], insights: 4, companyContextCleared: false });
    expect(await store.settings.get('session.companyContext')).toEqual({ company: 'own-co' });
  });

  it("records an older store's sample data as the demo, sets the context it never had, and removes exactly that", async () => {
    await open();
    await storeFromBeforeTheDemo();
    await ensureEmbeddedDefaults(store, demo);
    expect(await store.settings.get('session.companyContext')).toEqual({ company: 'acme' });
    expect(await demo.describe()).toEqual({ companies: [{ slug: 'acme', name: 'Acme Manufacturing (sample data)' }], knowledgeSnippets: 1, insights: 3 });
    expect(await demo.remove()).toEqual({ companies: ['acme'], insights: 3, companyContextCleared: true });
    expect(await store.knowledge.searchCrossCompanyInsights('zzzz', 10)).toEqual([{ title: 'Refund rates', content: 'Our own survey: refunds run at 2.2%.' }]);
    expect(await store.settings.get('session.companyContext')).toEqual({ company: null });
    await ensureEmbeddedDefaults(store, demo);
    expect(await store.directory.listCompanies()).toEqual([]);
  });

  it('keeps the "none" an older store saved as its company context', async () => {
    await open();
    await storeFromBeforeTheDemo();
    await store.settings.set('session.companyContext', { company: null });
    await ensureEmbeddedDefaults(store, demo);
    expect(await store.settings.get('session.companyContext')).toEqual({ company: null });
    expect((await demo.describe())?.companies).toHaveLength(1);
  });

  it('refuses to guess when the demo record is unreadable, and removes nothing', async () => {
    await open();
    await ensureEmbeddedDefaults(store, demo);
    await store.settings.set('demo.workspace', { state: 'seeded', companies: 'acme' });
    await expect(demo.remove()).rejects.toThrow("the stored 'demo.workspace' record is unreadable, so what the demo seeded is unknown; nothing was removed");
    expect(await store.directory.listCompanies()).toHaveLength(2);
  });
});
