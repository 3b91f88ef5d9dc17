import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DatasetBuildParamsSchema, type DatasetBuildParams, type DatasetRow } from '../../src-shared/dataset-contract';
import type { TriadError } from '../../src-shared/errors';
import { createTestApp, type TestApp } from '../support/test-app';
import { DatasetSeed } from './seed';

/** The dataset builder on the real composition root and PGlite, from seeded answers, labels, feedback and votes. */

let app: TestApp;
let seed: DatasetSeed;
const params = (input: Partial<DatasetBuildParams> & Pick<DatasetBuildParams, 'tier' | 'kind'>) => DatasetBuildParamsSchema.parse(input);
const rowsOf = async (input: Parameters<typeof params>[0]) => {
  const { files } = await app.datasets.build(app.localOperator.id, params(input));
  const parse = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as DatasetRow);
  return { train: parse(files.train), eval: parse(files.eval), card: files.card, all: [...parse(files.train), ...parse(files.eval)] };
};
const thrown = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error as TriadError;
  }
  throw new Error('expected a failure');
};
const sft = (row: DatasetRow) => ('messages' in row ? row.messages : []);

beforeAll(async () => {
  app = await createTestApp();
  for (const [slug, name] of [
    ['northwind', 'Northwind Traders'],
    ['globex', 'Globex Corporation'],
    ['initech', 'Initech'],
    ['umbrella', 'Umbrella Retail'],
    ['quiet-co', 'Quiet Company'],
  ]) {
    await app.store.directory.createCompany({ slug: slug!, name: name! });
  }
  seed = new DatasetSeed(app.store, app.localOperator.id);
}, 60_000);
afterAll(async () => app?.close());

describe('SFT', () => {
  it("writes accepted answers and corrections of one company in TRL's conversational format, anonymised", async () => {
    const accepted = await seed.answer('company', 'northwind', 'How do I reset the warehouse scanner? Ask jane.doe@example.com if stuck.', 'Hold the power key for ten seconds.');
    const fixed = await seed.answer('company', 'northwind', 'Which carrier do we use for pallets?', 'We use FedEx.');
    await seed.label(accepted, 'accepted');
    await seed.label(fixed, 'needs_fix', 'We use DHL Freight for pallets since March.');
    const fromFeedback = await seed.answer('company', 'northwind', 'What is the returns window?', 'Two days.');
    await seed.feedback(fromFeedback, { thumbs: -1, correctedAnswer: 'Thirty days from delivery.' });
    const rejected = await seed.answer('company', 'northwind', 'Who founded the company?', 'Nobody knows.');
    await seed.label(rejected, 'rejected');
    await seed.answer('company', 'northwind', 'Unreviewed question about invoices', 'Unreviewed answer.');
    const otherCompany = await seed.answer('company', 'globex', 'Globex-only question about the reactor', 'Globex-only answer.');
    await seed.label(otherCompany, 'accepted');

    const { all, card } = await rowsOf({ tier: 'company', company: 'northwind', kind: 'sft' });
    const pairs = all.map((row) => sft(row).map((m) => `${m.role}: ${m.content}`));
    expect(pairs).toHaveLength(3);
    expect(pairs).toContainEqual(['user: How do I reset the warehouse scanner? Ask <EMAIL_1> if stuck.', 'assistant: Hold the power key for ten seconds.']);
    expect(pairs).toContainEqual(['user: Which carrier do we use for pallets?', 'assistant: We use DHL Freight for pallets since March.']);
    expect(pairs).toContainEqual(['user: What is the returns window?', 'assistant: Thirty days from delivery.']);
    const text = JSON.stringify(all);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('Nobody knows');
    expect(text).not.toContain('Unreviewed');
    expect(text).not.toContain('Globex');
    expect(all.find((row) => sft(row)[0]!.content.startsWith('Which carrier'))).toMatchObject({ source: 'label_correction', request_ids: [fixed] });

    const front = parseYaml(card.split('---')[1]!) as Record<string, unknown>;
    expect(front).toMatchObject({
      license: 'other',
      task_categories: ['text-generation'],
      configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'train.jsonl' }, { split: 'eval', path: 'eval.jsonl' }] }],
    });
    expect(front.tags).toEqual(expect.arrayContaining(['sft', 'tier-company', 'anonymised']));
    expect(card).toContain('anonymiser, version');
    expect(card).toMatch(/\| label_correction \| reviewers' corrected answers \| \d \| \d \|/);
  }, 60_000);

  it('refuses an empty dataset saying what was read and why nothing is left', async () => {
    await seed.answer('company', 'quiet-co', 'A question nobody reviewed', 'An answer nobody reviewed.');
    const error = await thrown(() => app.datasets.build(app.localOperator.id, params({ tier: 'company', company: 'quiet-co', kind: 'sft' })));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(
      "no SFT dataset of the company tier of company 'quiet-co' is left after filtering: 1 answered request(s) read; none is labelled accepted in Review or has a corrected answer",
    );
    expect(await app.store.datasets.list(100)).not.toContainEqual(expect.objectContaining({ companySlug: 'quiet-co' }));
  }, 30_000);

  it('lets only ML leads and admins build', async () => {
    const analyst = await app.store.directory.createUser({ displayName: 'Ana Lyst', role: 'analyst' });
    const error = await thrown(() => app.datasets.preview(analyst.id, params({ tier: 'base', kind: 'sft' })));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('only ML leads and admins build and push datasets; Ana Lyst is an analyst');
    const lead = await app.store.directory.createUser({ displayName: 'Lee Lead', role: 'ml_lead' });
    const outside = await thrown(() => app.datasets.preview(lead.id, params({ tier: 'company', company: 'globex', kind: 'sft' })));
    expect(outside).toMatchObject({ code: 'forbidden', message: "you may not read the data of company 'globex'" });
  });
});

describe('DPO', () => {
  it('pairs Compare winners with what they beat, thumbs up with thumbs down on one prompt, and corrections with the original', async () => {
    const prompt = 'Summarise our Q3 sales for the board';
    const company = await seed.answer('company', 'initech', prompt, 'Company answer: sales rose 4%.');
    const base = await seed.answer('base', 'initech', prompt, 'Base answer: I cannot see your sales.');
    const abstraction = await seed.answer('abstraction', 'initech', prompt, 'Abstraction answer: peers grew 3%.');
    await seed.vote(prompt, [company, base, abstraction], company);
    const up = await seed.answer('company', 'initech', 'Draft a reply to the late-delivery complaint', 'Polite apology with a voucher.');
    const down = await seed.answer('company', 'initech', 'draft a reply to the late delivery complaint!', 'Blame the customer.');
    await seed.feedback(up, { thumbs: 1 });
    await seed.feedback(down, { thumbs: -1 });
    const corrected = await seed.answer('company', 'initech', 'What is our VAT number?', 'It is secret.');
    await seed.label(corrected, 'needs_fix', 'GB123456789, printed on every invoice.');

    const { all } = await rowsOf({ tier: 'company', company: 'initech', kind: 'dpo' });
    const triples = all.map((row) => ('chosen' in row ? [row.source, row.prompt, row.chosen, row.rejected] : []));
    expect(triples).toEqual(
      expect.arrayContaining([
        ['vote', prompt, 'Company answer: sales rose 4%.', 'Base answer: I cannot see your sales.'],
        ['vote', prompt, 'Company answer: sales rose 4%.', 'Abstraction answer: peers grew 3%.'],
        ['thumbs', 'Draft a reply to the late-delivery complaint', 'Polite apology with a voucher.', 'Blame the customer.'],
        ['correction_pair', 'What is our VAT number?', 'GB123456789, printed on every invoice.', 'It is secret.'],
      ]),
    );
    expect(triples).toHaveLength(4);
  }, 60_000);
});

describe('Abstraction', () => {
  const ask = async (company: string, prompt: string) => seed.label(await seed.answer('abstraction', company, prompt, `For ${company}: benchmarks say 6%.`), 'accepted');

  it('keeps only patterns seen in at least k companies, with company names replaced', async () => {
    await ask('northwind', 'What do similar retailers spend on last-mile delivery at Northwind Traders?');
    await ask('globex', 'How much do comparable retailers spend on last mile delivery?');
    await ask('umbrella', 'what do retailers like us spend on last-mile deliveries');
    await ask('northwind', 'Which loyalty scheme works best for garden centres?');
    await ask('globex', 'Which loyalty schemes work best for garden centres in winter?');

    const three = await rowsOf({ tier: 'abstraction', kind: 'sft', k: 3 });
    const prompts = three.all.map((row) => sft(row)[0]!.content);
    expect(prompts.some((p) => p.includes('loyalty'))).toBe(false);
    expect(prompts.filter((p) => /last.mile/i.test(p))).toHaveLength(3);
    expect(JSON.stringify(three.all)).not.toMatch(/Northwind|Globex|umbrella|northwind|globex/);
    expect(three.all.every((row) => row.request_ids.length === 0)).toBe(true);
    expect(three.card).toContain('k = 3');

    const two = await rowsOf({ tier: 'abstraction', kind: 'sft', k: 2 });
    expect(two.all.map((row) => sft(row)[0]!.content).filter((p) => p.includes('loyalty'))).toHaveLength(2);
  }, 60_000);
});

describe('deduplication and the split', () => {
  it('removes exact and near-duplicate prompts and splits by prompt, the same for the same seed', async () => {
    const accepted = async (prompt: string) => seed.label(await seed.answer('base', null, prompt, `Answer to: ${prompt}`), 'accepted');
    await accepted('What is our refund policy for online orders?');
    await accepted('what is our refund policy for online orders');
    await accepted('What is our refund policy for online order?');
    const topics = ['tax', 'payroll', 'hiring', 'pricing', 'shipping', 'inventory', 'marketing', 'security', 'budgets', 'training'];
    for (const topic of topics) for (const angle of ['a checklist', 'the main risks', 'a one-line summary']) await accepted(`Give me ${angle} for ${topic} in a small firm`);

    const first = await rowsOf({ tier: 'base', kind: 'sft', seed: 7, evalShare: 0.2 });
    const prompts = first.all.map((row) => sft(row)[0]!.content);
    expect(prompts.filter((p) => /refund policy/i.test(p))).toHaveLength(1);
    expect(prompts).toHaveLength(31);
    expect(first.eval.length).toBe(6);
    const train = new Set(first.train.map((row) => sft(row)[0]!.content));
    expect(first.eval.every((row) => !train.has(sft(row)[0]!.content))).toBe(true);

    const again = await rowsOf({ tier: 'base', kind: 'sft', seed: 7, evalShare: 0.2 });
    expect(again.eval).toEqual(first.eval);
    const other = await rowsOf({ tier: 'base', kind: 'sft', seed: 8, evalShare: 0.2 });
    expect(other.eval.map((row) => sft(row)[0]!.content)).not.toEqual(first.eval.map((row) => sft(row)[0]!.content));

    const progress: string[] = [];
    const preview = await app.datasets.preview(app.localOperator.id, params({ tier: 'base', kind: 'sft', seed: 7 }), (p) => progress.push(`${p.stage} ${p.done}/${p.total}`));
    expect(Object.fromEntries(preview.counts.removed.map((f) => [f.filter, f.removed]))).toEqual({ 'exact duplicates': 1, 'near duplicates': 1 });
    // A bar can follow a long build: anonymising moves through the examples, then the filters and the split.
    expect(progress).toEqual(['reading 0/1', 'anonymising 0/33', 'anonymising 20/33', 'filtering 0/33', 'splitting 31/31']);
  }, 120_000);
});
