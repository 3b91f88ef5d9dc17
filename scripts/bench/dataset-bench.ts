/**
 * The dataset builder's numbers (docs/benchmarks.md, "Datasets"):
 * - how many of the prompt pairs at or above each similarity threshold the MinHash/LSH grouping puts together
 *   (against the exact all-pairs Jaccard), for near duplicates (character 5-grams, 0.8, 32 bands × 4 rows) and
 *   for Abstraction patterns (content words, 0.5, 64 bands × 2 rows);
 * - how long a build takes per example, anonymisation and the filters apart.
 *
 *   npx tsx scripts/bench/dataset-bench.ts [--prompts N]
 */
import { cpus, totalmem } from 'node:os';
import { DATASET_DEFAULTS, DatasetBuildParamsSchema } from '../../src-shared/dataset-contract';
import { buildDataset, type ExampleAnonymiser } from '../../src-main/datasets/dataset-builder';
import { exampleAnonymiserFor } from '../../src-main/datasets/example-anonymiser';
import { characterShingles, contentWords, jaccard, similarGroups, type LshLayout } from '../../src-main/datasets/text-similarity';
import type { DatasetSourceRequest, DatasetSources } from '../../src-main/store/repositories';

const count = Number(process.argv[process.argv.indexOf('--prompts') + 1]) || 1_500;

/** Seeded random numbers (mulberry32), so every run measures the same prompts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY =
  `revenue churn pricing delivery warehouse supplier invoice refund payroll hiring onboarding retention forecast budget margin
  inventory logistics freight customer loyalty discount subscription renewal contract compliance audit security laptop office
  travel expense marketing campaign conversion benchmark competitor industry average quarter growth cost energy rent lease
  insurance claim warranty repair support ticket backlog latency outage release roadmap training mentoring appraisal bonus`
    .split(/\s+/)
    .filter(Boolean);
const FRAMES = ['What is our {a} for {b}?', 'How do similar firms handle {a} and {b}?', 'Give me the {a} policy on {b}', 'Why did {a} change after the {b} review?', 'Compare {a} with {b} across teams'];

/** Prompts in families: a family shares its words, and its members differ by small edits (near duplicates) or reworded frames. */
function prompts(n: number, next: () => number): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const out: string[] = [];
  while (out.length < n) {
    const a = `${pick(VOCABULARY)} ${pick(VOCABULARY)}`;
    const b = `${pick(VOCABULARY)} ${pick(VOCABULARY)}`;
    const base = pick(FRAMES).replace('{a}', a).replace('{b}', b);
    const members = 1 + Math.floor(next() * 4);
    for (let i = 0; i < members && out.length < n; i++) {
      const roll = next();
      if (roll < 0.4) out.push(base);
      else if (roll < 0.7) out.push(base.replace(/\?$/, '').toLowerCase() + (next() < 0.5 ? ' please' : ''));
      else out.push(pick(FRAMES).replace('{a}', a).replace('{b}', next() < 0.5 ? b : `${b} ${pick(VOCABULARY)}`));
    }
  }
  return out;
}

/** Of the pairs whose exact Jaccard is at least `threshold`, the share LSH put in one group, and the time it took. */
function lshRecall(sets: Array<Set<string>>, threshold: number, layout: LshLayout) {
  const started = performance.now();
  const groups = similarGroups(sets, threshold, layout);
  const ms = performance.now() - started;
  let pairs = 0;
  let together = 0;
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      if (jaccard(sets[i]!, sets[j]!) < threshold) continue;
      pairs++;
      if (groups[i] === groups[j]) together++;
    }
  }
  return { pairs, together, recall: pairs === 0 ? 1 : together / pairs, ms };
}

const next = random(20261202);
const texts = prompts(count, next);
const nearDuplicates = lshRecall(texts.map((t) => characterShingles(t)), DATASET_DEFAULTS.nearDuplicateThreshold, { bands: 32, rows: 4 });
const patterns = lshRecall(texts.map((t) => contentWords(t)), DATASET_DEFAULTS.patternThreshold, { bands: 64, rows: 2 });

// A build: every prompt an accepted Abstraction answer of one of eight companies, with PII to anonymise.
const companies = Array.from({ length: 8 }, (_, i) => ({ id: String(i), slug: `company-${i}`, name: `Company ${['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta', 'Theta'][i]}` }));
const requests: DatasetSourceRequest[] = texts.map((prompt, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  tier: 'abstraction',
  companySlug: companies[i % companies.length]!.slug,
  createdAt: new Date(Date.UTC(2031, 0, 1) + i * 60_000),
  modelId: 'bench',
  modelVersion: '1',
  prompt: `${prompt} Ask ${['Maria Lopez', 'John Smith', 'Wei Chen'][i % 3]} at maria${i}@example.com or call +44 20 7946 0${String(i % 1000).padStart(3, '0')}.`,
  answer: `At ${companies[i % companies.length]!.name} the usual answer is 4–6% (see ticket ${1000 + i}).`,
  label: { label: 'accepted', correctedAnswer: null },
  feedback: [],
}));
const sources: DatasetSources = { requests, votes: [] };
const anonymiser = await exampleAnonymiserFor('abstraction', null, companies);
let anonymiseMs = 0;
const timed: ExampleAnonymiser = {
  version: anonymiser.version,
  anonymiseAll(list) {
    const started = performance.now();
    const result = anonymiser.anonymiseAll(list);
    anonymiseMs += performance.now() - started;
    return result;
  },
};
const started = performance.now();
const built = await buildDataset(sources, DatasetBuildParamsSchema.parse({ tier: 'abstraction', kind: 'sft', k: 3 }), timed);
const buildMs = performance.now() - started;

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`\n### MinHash/LSH grouping against exact all-pairs Jaccard (${count} prompts)\n`);
console.log('| use | sets | threshold | LSH | pairs at or above | grouped together | recall | grouping time |');
console.log('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |');
const row = (use: string, sets: string, threshold: number, layout: string, r: typeof nearDuplicates) =>
  console.log(`| ${use} | ${sets} | ${threshold} | ${layout} | ${r.pairs} | ${r.together} | **${r.recall.toFixed(4)}** | ${r.ms.toFixed(0)} ms |`);
row('near duplicates', 'character 5-grams', DATASET_DEFAULTS.nearDuplicateThreshold, '32 bands × 4 rows', nearDuplicates);
row('Abstraction patterns', 'content words', DATASET_DEFAULTS.patternThreshold, '64 bands × 2 rows', patterns);
console.log(`\n### A build of ${count} accepted Abstraction answers of 8 companies (k = 3)\n`);
console.log('| examples in | kept | removed (k rule / exact / near) | whole build | anonymising | filters and split | per example |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: |');
const removed = built.counts.removed.map((f) => f.removed).join(' / ');
console.log(
  `| ${count} | ${built.counts.train + built.counts.eval} | ${removed} | ${(buildMs / 1000).toFixed(2)} s | ${(anonymiseMs / 1000).toFixed(2)} s | ${((buildMs - anonymiseMs) / 1000).toFixed(2)} s | ${(buildMs / count).toFixed(2)} ms |`,
);
