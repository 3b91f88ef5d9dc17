/**
 * `npm run bench:router`: the learned tier router (issue 10 §3) measured offline, on the synthetic vote set of
 * scripts/bench/router-synthetic-votes.ts (a stated structure, not production data: it measures the method).
 *  1. held-out agreement with the votes (seeded 20% split by vote) of the learned router against the rule-based
 *     selector and a random router at the same share, for several vote-set sizes and target shares; 3 seeds each;
 *  2. the L2 penalty sweep the default was chosen from;
 *  3. how far one vote more or less moves a prompt's score (what the "unsure" margin is compared with), and the
 *     share of requests that fall inside the margin;
 *  4. µs of CPU per score and per `chooseTier` with and without the router (the facade's budget is ≤ 50 µs);
 *  5. training time. Not a test: it asserts nothing, it measures.
 */
import { cpus, loadavg } from 'node:os';
import { ChatRequestSchema } from '../../src-shared/chat';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import { ROUTER_DEFAULTS } from '../../src-shared/router-contract';
import { chooseTier } from '../../src-main/llm/model-selector';
import { DEFAULT_LOGISTIC_OPTIONS } from '../../src-main/router/logistic-regression';
import type { RouterLookup } from '../../src-main/router/tier-router-book';
import { loadRouter } from '../../src-main/router/tier-router-model';
import { trainRouter, unsureMarginFor, type TrainedRouter } from '../../src-main/router/train-router';
import { syntheticRouterSources } from './router-synthetic-votes';

const SEEDS = [1, 2, 3];
const SIZES = [60, 200, 1000, 3000];
const USER = '11111111-1111-4111-8111-111111111111';
const FLAGS: FeatureFlags = { provider: 'local', openaiEnabled: false, tiers: { base: true, company: true, abstraction: true }, learnedRouter: true };

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function train(votes: number, seed: number, options: Parameters<typeof trainRouter>[1] = { company: 'acme' }): { trained: TrainedRouter; ms: number } {
  const sources = syntheticRouterSources({ votes, thumbs: Math.round(votes / 4), seed });
  const start = performance.now();
  const trained = trainRouter(sources, { maxShare: 0.3, ...options });
  return { trained, ms: performance.now() - start };
}

function agreementTable(): void {
  console.log('\n### Held-out agreement with the votes (mean of seeds 1–3; thumbs = ¼ of the votes, weighted 0.25)\n');
  console.log('| votes | held out | AUC | rules: to company / agrees | target share | router: to company / agrees | random at that share | training |');
  console.log('|---:|---:|---:|---|---:|---|---:|---:|');
  for (const size of SIZES) {
    const runs = SEEDS.map((seed) => train(size, seed));
    const metrics = runs.map((r) => r.trained.metrics);
    const shares = metrics[0]!.points.map((p) => p.targetShare);
    shares.forEach((share, i) => {
      const points = metrics.map((m) => m.points[i]!);
      const first = i === 0;
      console.log(
        `| ${first ? size : ''} | ${first ? mean(metrics.map((m) => m.heldOutVotes)).toFixed(0) : ''} | ${first ? mean(metrics.map((m) => m.auc ?? 0.5)).toFixed(3) : ''} | ` +
          `${first ? `${pct(mean(metrics.map((m) => m.rules.strongShare)))} / ${pct(mean(metrics.map((m) => m.rules.agreement)))}` : ''} | ${pct(share)} | ` +
          `${pct(mean(points.map((p) => p.strongShare)))} / ${pct(mean(points.map((p) => p.agreement)))} | ${pct(mean(points.map((p) => p.randomAgreement)))} | ` +
          `${first ? `${mean(runs.map((r) => r.ms)).toFixed(0)} ms` : ''} |`,
      );
    });
  }
}

function l2Sweep(): void {
  console.log('\n### L2 penalty (held-out AUC, mean of seeds 1–3; default', DEFAULT_LOGISTIC_OPTIONS.l2, ')\n');
  const penalties = [0.03, 0.01, 0.003, 0.001, 0.0003];
  console.log(`| votes | ${penalties.map((l) => `l2 = ${l}`).join(' | ')} |`);
  console.log(`|---:|${penalties.map(() => '---:').join('|')}|`);
  for (const size of [60, 200, 1000]) {
    const cells = penalties.map((l2) => mean(SEEDS.map((seed) => train(size, seed, { company: 'acme', logistic: { ...DEFAULT_LOGISTIC_OPTIONS, l2 } }).trained.metrics.auc ?? 0.5)).toFixed(3));
    console.log(`| ${size} | ${cells.join(' | ')} |`);
  }
}

/** Leave one vote out, 20 times: how far the scores of the training prompts move. */
function stability(): void {
  console.log(`\n### One vote more or less, and the unsure margin (min(${ROUTER_DEFAULTS.maxUnsureMargin}, ${ROUTER_DEFAULTS.unsureMarginVotes} / votes))\n`);
  console.log('| votes | mean \\|Δscore\\| | p95 \\|Δscore\\| | scores p10–p90 | unsure margin | requests within it |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of [41, 200, 1000]) {
    const sources = syntheticRouterSources({ votes: size, seed: 5 });
    const full = trainRouter(sources, { company: 'acme' });
    const prompts = [...new Set(sources.votes.map((v) => v.prompt))];
    const base = prompts.map((p) => full.scorer.score(p));
    const deltas: number[] = [];
    for (let k = 0; k < 20; k++) {
      const drop = Math.floor((k * sources.votes.length) / 20);
      const without = trainRouter({ votes: sources.votes.filter((_, i) => i !== drop), thumbs: [] }, { company: 'acme' });
      prompts.forEach((p, i) => deltas.push(Math.abs(without.scorer.score(p) - base[i]!)));
    }
    const sorted = [...base].sort((a, b) => a - b);
    const margin = unsureMarginFor(full.counts.votes);
    const unsure = base.filter((s) => Math.abs(s - full.record.threshold) < margin).length / base.length;
    const p95 = [...deltas].sort((a, b) => a - b)[Math.floor(deltas.length * 0.95)]!;
    console.log(`| ${size} | ${mean(deltas).toFixed(4)} | ${p95.toFixed(4)} | ${sorted[Math.floor(sorted.length * 0.1)]!.toFixed(2)}–${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(2)} | ${margin.toFixed(3)} | ${pct(unsure)} |`);
  }
}

function timing(): void {
  console.log('\n### CPU per request (median of 5 runs of 20,000 prompts each, after a warm-up)\n');
  const { trained } = train(1000, 1);
  const loaded = loadRouter({ ...trained.record, id: 'bench', trainedBy: USER, trainedAt: new Date() });
  if ('error' in loaded) throw new Error(loaded.error);
  const lookup: RouterLookup = { router: loaded };
  const prompts = syntheticRouterSources({ votes: 2000, seed: 9 }).votes.map((v) => v.prompt);
  const long = prompts.map((p) => `${p} ${'and please be thorough about every detail of it '.repeat(40)}`);
  const requests = prompts.map((p) => ChatRequestSchema.parse({ messages: [{ role: 'user', content: p }], context: { userId: USER, company: 'acme' } }));
  const user = { id: USER, displayName: 'bench', role: 'analyst' as const, companySlugs: ['acme'] };
  const cases: Array<[string, (i: number) => unknown]> = [
    ['score a prompt (~12 words)', (i) => loaded.score(prompts[i % prompts.length]!)],
    ['score a long prompt (~330 words; the first 64 count)', (i) => loaded.score(long[i % long.length]!)],
    ['chooseTier, rules only', (i) => chooseTier({ request: requests[i % requests.length]!, user, flags: { ...FLAGS, learnedRouter: false } })],
    ['chooseTier with the learned rule', (i) => chooseTier({ request: requests[i % requests.length]!, user, flags: FLAGS }, lookup)],
  ];
  console.log('| what | µs per call (median) | µs CPU per call |');
  console.log('|---|---:|---:|');
  for (const [name, run] of cases) {
    for (let i = 0; i < 20_000; i++) run(i);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < 5; r++) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < 20_000; i++) run(i);
      wall.push(((performance.now() - start) * 1000) / 20_000);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 20_000);
    }
    console.log(`| ${name} | ${median(wall).toFixed(2)} | ${median(cpu).toFixed(2)} |`);
  }
  const stored = JSON.stringify(trained.record.model);
  console.log(`\nStored model of the 1,000-vote router: ${(trained.record.model as { buckets: unknown[] }).buckets.length} buckets, ${(stored.length / 1024).toFixed(0)} kB of JSON.`);
}

console.log(`# Learned router bench — ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
timing();
agreementTable();
l2Sweep();
stability();
