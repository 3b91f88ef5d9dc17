/**
 * `npx tsx scripts/bench/review-bench.ts [--answers N] [--postgres URL] [--pending]`: how long the Review table's queries take
 * (issue 8 §1) on a store of N logged answers (default 50,000), a fifth with feedback and a third labelled:
 * the first page, filtered pages, full-text search (a common and a rare word), sorting by rating, a deep page,
 * a queue's progress, and labelling every row of a filter. Median and slowest of 15 runs each, after 2 untimed.
 * On PGlite in memory (the embedded default) unless --postgres names a database to fill (it must be empty).
 * Not a test: it asserts nothing, it measures.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ReviewService } from '../../src-main/review/review-service';
import { openSqlStore } from '../../src-main/store/open-store';
import type { RequestLogEntry, TriadStore } from '../../src-main/store/repositories';
import type { ReviewFilter, ReviewSort } from '../../src-shared/review-contract';
import { makeEntry } from '../../test/store/support';

const { values } = parseArgs({ options: { answers: { type: 'string', default: '50000' }, postgres: { type: 'string' }, pending: { type: 'boolean', default: false } } });
const answers = Number(values.answers);
const RUNS = 15;

/** A fixed pseudo-random sequence (mulberry32), so every run fills the same store. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = (
  'revenue margin invoice customer churn pricing forecast quarter supplier shipping refund contract budget hiring ' +
  'retention campaign inventory payroll audit compliance growth market segment discount warehouse logistics ' +
  'subscription renewal onboarding support ticket escalation policy benchmark average industry competitor'
).split(' ');

function sentence(next: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

async function fill(store: TriadStore): Promise<string> {
  const next = random(7);
  const user = await store.directory.createUser({ displayName: 'Bench reviewer', role: 'admin' });
  const company = await store.directory.createCompany({ slug: `bench-${randomUUID().slice(0, 6)}`, name: 'Bench Co' });
  const start = Date.parse('2030-01-01T00:00:00Z');
  const tiers = ['base', 'company', 'abstraction'] as const;
  const batch = 1_000;
  for (let done = 0; done < answers; done += batch) {
    const entries: RequestLogEntry[] = [];
    for (let i = done; i < Math.min(answers, done + batch); i++) {
      const tier = tiers[i % 3]!;
      entries.push(
        makeEntry({
          userId: user.id,
          tier,
          companySlug: tier === 'company' ? company.slug : null,
          modelVersion: `v${i % 4}`,
          createdAt: new Date(start + i * 60_000),
          latencyMs: 100 + next() * 2_000,
          prompt: { id: randomUUID(), content: `${sentence(next, 12)}?` },
          // One answer in 5,000 says "zeppelin": the rare word of the search.
          answer: { id: randomUUID(), content: `${sentence(next, 60)}${i % 5_000 === 0 ? ' zeppelin' : ''}.` },
        }),
      );
    }
    await store.requests.recordMany(entries);
    const review = entries.filter((_, i) => i % 3 === 0);
    await store.review.label(
      review.map((entry, i) => ({
        historyId: randomUUID(), requestId: entry.id, label: (['accepted', 'rejected', 'needs_fix'] as const)[i % 3]!, correctedAnswer: i % 3 === 2 ? 'Fixed.' : null,
        tags: [], note: null, reviewerId: user.id, labelledAt: new Date(), keepDetails: false,
      })),
    );
    for (const entry of entries.filter((_, i) => i % 5 === 0)) {
      await store.feedback.save({ requestId: entry.id, userId: user.id, thumbs: next() < 0.5 ? 1 : -1, rating: 1 + Math.floor(next() * 5), comment: next() < 0.3 ? 'noted' : null, correctedAnswer: null });
    }
    process.stderr.write(`\rfilling: ${Math.min(answers, done + batch).toLocaleString('en')} / ${answers.toLocaleString('en')} answers`);
  }
  process.stderr.write('\n');
  return user.id;
}

async function measure(name: string, work: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 2; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  console.log(`| ${name} | ${samples[Math.floor(RUNS / 2)]!.toFixed(1)} | ${samples.at(-1)!.toFixed(1)} |`);
}

const { store, executor } = values.postgres ? await openSqlStore({ backend: 'postgres', connectionString: values.postgres }) : await openSqlStore({ backend: 'pglite', ...(values.pending && { searchIndex: { intervalMs: 3_600_000 } }) });
const reviewer = await fill(store);
// The embedded store indexes logged messages for search once the log is quiet (migration 020): measured once the
// index has caught up, as a reviewer finds it; `--pending` measures the searches with every message still waiting.
const pendingMessages = async () => Number((await executor.query<{ n: number }>('SELECT count(*)::int AS n FROM message_search_pending'))[0]!.n);
if (values.pending) console.log(`${(await pendingMessages()).toLocaleString('en')} messages waiting for the search index`);
else {
  const filled = performance.now();
  while ((await pendingMessages()) > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(`the search index caught up ${((performance.now() - filled) / 1000).toFixed(1)} s after the fill`);
}
const service = new ReviewService(() => store.review);
const page = (filter: ReviewFilter, sort: ReviewSort = { by: 'date', direction: 'desc' }, offset = 0) => () => service.list({ filter, sort, offset, limit: 100 });

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(1)}; ${store.backend}, ${answers.toLocaleString('en')} answers\n`);
console.log('| query (page of 100 rows + total) | median ms | slowest ms |');
console.log('| --- | ---: | ---: |');
await measure('first page, newest first', page({}));
await measure('tier = company, unlabelled', page({ tier: 'company', labels: ['unlabelled'] }));
await measure('thumbs down, with comment', page({ thumbs: 'down', hasComment: true }));
await measure('full text, common word ("invoice")', page({ text: 'invoice' }));
await measure('full text, rare word ("zeppelin")', page({ text: 'zeppelin' }));
await measure('full text + tier + unlabelled', page({ text: 'refund policy', tier: 'base', labels: ['unlabelled'] }));
await measure('sorted by rating', page({}, { by: 'rating', direction: 'asc' }));
await measure('page at offset 10,000', page({}, { by: 'date', direction: 'desc' }, 10_000));
await measure("queue progress (company tier)", () => store.review.progress({ tier: 'company' }));
const newest = (await service.list({ filter: {}, sort: { by: 'date', direction: 'desc' }, offset: 0, limit: 1 })).rows[0]!.id;
await measure('detail of one answer', () => service.detail(newest));

console.log('\n| bulk label "every row of this filter" | rows | ms |');
console.log('| --- | ---: | ---: |');
for (const version of ['v1', 'v2']) {
  const filter: ReviewFilter = { modelVersion: version, tier: 'abstraction' };
  const t0 = performance.now();
  const labelled = await service.bulkLabel(reviewer, { filter }, 'rejected');
  console.log(`| model version ${version}, Abstraction tier | ${labelled.toLocaleString('en')} | ${(performance.now() - t0).toFixed(0)} |`);
}
await store.close();
