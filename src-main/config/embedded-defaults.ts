import type { TriadStore, UserAccess } from '../store/repositories';

/** The operator of an embedded (single-user) Triad: the person at this computer. */
export const LOCAL_OPERATOR_ID = '00000000-0000-4000-8000-000000000001';

/** The sample company a new embedded store starts with, so every tier has something to answer from. */
export const SAMPLE_COMPANY = { slug: 'acme', name: 'Acme Manufacturing (sample data)' } as const;

const SAMPLE_KNOWLEDGE = [
  { title: 'Refund policy', content: 'Acme refunds unused parts within 60 days of delivery; custom-machined parts are not refundable.' },
  { title: 'Lead times', content: 'Standard parts ship in 3 working days; custom machining takes 4 to 6 weeks depending on tooling.' },
  { title: 'Key accounts', content: 'The three largest customers by revenue are in agricultural equipment and account for 41% of sales.' },
];

const SAMPLE_INSIGHTS = [
  { sector: 'manufacturing', title: 'Refund rates', content: 'Across 212 mid-sized manufacturers, refund rates on standard parts cluster between 1.5% and 3%.', sampleSize: 212 },
  { sector: 'manufacturing', title: 'Lead-time trends', content: 'Custom-part lead times across comparable firms shortened by about 15% after adopting shared tooling libraries.', sampleSize: 87 },
  { sector: null, title: 'Customer concentration', content: 'Businesses whose top three customers exceed 40% of revenue show twice the revenue volatility of their peers.', sampleSize: 1530 },
];

/**
 * Makes a new embedded store usable at once: the local operator (an admin, since they own the data) and a
 * clearly labelled sample company with knowledge and anonymised insights. Does nothing when the operator
 * already exists, so the user's own changes are never overwritten.
 */
export async function ensureEmbeddedDefaults(store: TriadStore): Promise<UserAccess> {
  const existing = await store.directory.getUserAccess(LOCAL_OPERATOR_ID);
  if (existing) return existing;
  await store.directory.createUser({ id: LOCAL_OPERATOR_ID, displayName: 'Local operator', role: 'admin' });
  if (!(await store.directory.findCompany(SAMPLE_COMPANY.slug))) {
    await store.directory.createCompany(SAMPLE_COMPANY);
    for (const snippet of SAMPLE_KNOWLEDGE) await store.knowledge.addCompanySnippet(SAMPLE_COMPANY.slug, snippet);
    for (const insight of SAMPLE_INSIGHTS) await store.knowledge.addCrossCompanyInsight(insight);
  }
  await store.directory.grantCompanyAccess(LOCAL_OPERATOR_ID, SAMPLE_COMPANY.slug);
  const operator = await store.directory.getUserAccess(LOCAL_OPERATOR_ID);
  if (!operator) throw new Error('the local operator was not saved');
  return operator;
}
