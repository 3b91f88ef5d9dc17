import type { KnowledgeSnippet } from '../store/repositories';

/** A demo company with the knowledge the Company tier adds to its prompt. */
export interface DemoCompany {
  slug: string;
  name: string;
  knowledge: readonly KnowledgeSnippet[];
}

/** An anonymised pattern across businesses, for the Abstraction tier. */
export interface DemoInsight extends KnowledgeSnippet {
  sector: string | null;
  sampleSize: number;
}

/**
 * The companies of the demo workspace; the first is the company context a fresh install starts on. Acme keeps
 * the slug and knowledge of the sample company earlier versions seeded, so stores and scripts that name 'acme'
 * keep working.
 */
export const DEMO_COMPANIES: readonly DemoCompany[] = [
  {
    slug: 'acme',
    name: 'Acme Manufacturing (demo)',
    knowledge: [
      { title: 'Refund policy', content: 'Acme refunds unused parts within 60 days of delivery; custom-machined parts are not refundable.' },
      { title: 'Lead times', content: 'Standard parts ship in 3 working days; custom machining takes 4 to 6 weeks depending on tooling.' },
      { title: 'Key accounts', content: 'The three largest customers by revenue are in agricultural equipment and account for 41% of sales.' },
    ],
  },
  {
    slug: 'northwind-coffee',
    name: 'Northwind Coffee Roasters (demo)',
    knowledge: [
      { title: 'Wholesale terms', content: 'Cafés buying more than 20 kg a month get 12% off list price and 30-day payment terms.' },
      { title: 'Roasting schedule', content: 'Beans are roasted on Mondays and Thursdays and shipped the next working day.' },
      { title: 'Subscription churn', content: 'Home subscribers cancel at 7% a month; most cancellations follow a late delivery.' },
    ],
  },
];

/** The anonymised cross-company insights of the demo workspace: no company is named, by design. */
export const DEMO_INSIGHTS: readonly DemoInsight[] = [
  { sector: 'manufacturing', title: 'Refund rates', content: 'Across 212 mid-sized manufacturers, refund rates on standard parts cluster between 1.5% and 3%.', sampleSize: 212 },
  { sector: 'manufacturing', title: 'Lead-time trends', content: 'Custom-part lead times across comparable firms shortened by about 15% after adopting shared tooling libraries.', sampleSize: 87 },
  { sector: null, title: 'Customer concentration', content: 'Businesses whose top three customers exceed 40% of revenue show twice the revenue volatility of their peers.', sampleSize: 1530 },
  { sector: 'food and beverage', title: 'Subscription churn benchmark', content: 'Across 140 food and drink subscription businesses, monthly churn ranges from 5% to 9%; a late delivery doubles the chance of cancelling.', sampleSize: 140 },
];

/**
 * What earlier versions seeded as "sample data" (company 'acme' and the first three insights): a store that
 * has it and no demo record adopts it as its demo workspace, so it can be removed in one click too.
 */
export const LEGACY_SAMPLE = {
  slug: 'acme',
  name: 'Acme Manufacturing (sample data)',
  insights: DEMO_INSIGHTS.slice(0, 3),
} as const;
