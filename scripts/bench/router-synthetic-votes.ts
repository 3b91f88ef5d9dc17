/**
 * A synthetic but realistic vote set for the tier router, with a stated structure (there is no production data
 * here, so this measures the method, not production quality):
 *
 *  - prompts of one company (a freight forwarder, "acme") from three families, drawn from templates whose slots
 *    are filled from word lists, so held-out prompts share words with training prompts but rarely a whole prompt:
 *      company   questions about acme's own contracts, lanes, customers, systems and policies (40%);
 *      general   writing, explaining, arithmetic, coding and translation tasks with no company knowledge (45%);
 *      mixed     a general task about an acme thing, e.g. "draft an email to Nordhafen about the delay" (15%);
 *  - each vote compares the company tier's answer with the base tier's, and its outcome is drawn from the
 *    family's chances (company tier wins / base tier wins / tie): company 0.70 / 0.15 / 0.15, general
 *    0.20 / 0.45 / 0.35, mixed 0.45 / 0.30 / 0.25; the chances are the noise a real operator's votes have;
 *  - `bothBadShare` of votes are "both bad"; thumbs (up/down on one answer) follow the same chances.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RouterThumbSource, RouterVoteSource } from '../../src-main/store/repositories';

type Rng = ReturnType<typeof xoroshiro128plus>;

export type PromptFamily = 'company' | 'general' | 'mixed';

const WORDS = {
  customer: ['Nordhafen', 'Bellweather Foods', 'Kestrel Pharma', 'Orion Retail', 'Tallis Motors', 'Vantage Textiles'],
  lane: ['Rotterdam–Milan', 'Hamburg–Warsaw', 'Antwerp–Lyon', 'Gdansk–Prague', 'Felixstowe–Dublin'],
  system: ['FreightDesk', 'the TMS', 'RateBook', 'the customs portal', 'DockPlanner'],
  policy: ['demurrage waiver', 'pallet damage claim', 'late pickup penalty', 'hazmat surcharge', 'fuel index clause'],
  thing: ['contract', 'rate card', 'SLA', 'tender', 'quarterly review', 'claims backlog'],
  topic: ['photosynthesis', 'compound interest', 'the French revolution', 'binary search', 'supply and demand', 'vaccines', 'black holes'],
  language: ['Spanish', 'German', 'Polish', 'Italian', 'French'],
  task: ['a haiku about autumn', 'a birthday message for a colleague', 'a short story about a lighthouse', 'a limerick about coffee'],
  code: ['reverse a linked list', 'parse a CSV file', 'debounce a function', 'validate an email address'],
};

const TEMPLATES: Record<PromptFamily, ReadonlyArray<(w: (k: keyof typeof WORDS) => string, n: () => number) => string>> = {
  company: [
    (w) => `What does our ${w('thing')} with ${w('customer')} say about the ${w('policy')}?`,
    (w) => `Which carrier do we use on the ${w('lane')} lane and what is the transit time?`,
    (w) => `How do I book a ${w('lane')} shipment for ${w('customer')} in ${w('system')}?`,
    (w) => `Is ${w('customer')} eligible for the ${w('policy')} under acme's terms?`,
    (w) => `Summarise the open issues in the ${w('customer')} ${w('thing')}.`,
    (w) => `Who at acme approves a ${w('policy')} for the ${w('lane')} lane?`,
    (w) => `Where in ${w('system')} do I find the ${w('customer')} ${w('thing')}?`,
  ],
  general: [
    (w) => `Explain ${w('topic')} in simple terms.`,
    (w) => `Write ${w('task')}.`,
    (w) => `Translate "the meeting is moved to Thursday" into ${w('language')}.`,
    (w) => `Write a Python function to ${w('code')}.`,
    (_, n) => `What is ${n()} times ${n()}?`,
    (w) => `Give me three tips to learn ${w('language')} faster.`,
    (w) => `What are the main causes of ${w('topic')}?`,
  ],
  mixed: [
    (w) => `Draft a polite email to ${w('customer')} about a delay on the ${w('lane')} lane.`,
    (w) => `Turn these notes on the ${w('customer')} ${w('thing')} into a short agenda.`,
    (w) => `Explain the ${w('policy')} to a new colleague in two sentences.`,
  ],
};

/** Chances of (company tier wins, base tier wins); a tie otherwise. */
const OUTCOME_CHANCES: Record<PromptFamily, [number, number]> = { company: [0.7, 0.15], general: [0.2, 0.45], mixed: [0.45, 0.3] };
const FAMILY_SHARES: Array<[PromptFamily, number]> = [
  ['company', 0.4],
  ['general', 0.45],
  ['mixed', 0.15],
];

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[uniformInt(rng, 0, values.length - 1)]!;
}

function familyOf(rng: Rng): PromptFamily {
  let r = uniformFloat64(rng);
  for (const [family, share] of FAMILY_SHARES) if ((r -= share) < 0) return family;
  return 'general';
}

/** A prompt of the family, from the seeded generator. */
export function syntheticPrompt(rng: Rng, family: PromptFamily): string {
  return pick(rng, TEMPLATES[family])(
    (k) => pick(rng, WORDS[k]),
    () => uniformInt(rng, 2, 99),
  );
}

function outcomeOf(rng: Rng, family: PromptFamily): 'company' | 'base' | 'tie' {
  const [company, base] = OUTCOME_CHANCES[family];
  const r = uniformFloat64(rng);
  return r < company ? 'company' : r < company + base ? 'base' : 'tie';
}

/** A synthetic vote with the family it was drawn from, for analyses that want the truth. */
export interface SyntheticVote extends RouterVoteSource {
  family: PromptFamily;
}

/** `votes` Compare votes and `thumbs` thumbs, seeded; the same options give the same set. */
export function syntheticRouterSources(options: { votes: number; thumbs?: number; seed: number; bothBadShare?: number; start?: Date }): { votes: SyntheticVote[]; thumbs: RouterThumbSource[] } {
  const rng = xoroshiro128plus(options.seed);
  const start = options.start?.getTime() ?? Date.UTC(2026, 9, 1);
  const id = (prefix: number, k: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;
  const votes: SyntheticVote[] = Array.from({ length: options.votes }, (_, k) => {
    const family = familyOf(rng);
    const prompt = syntheticPrompt(rng, family);
    const [companyRequest, baseRequest] = [id(1, 2 * k), id(1, 2 * k + 1)];
    const bothBad = uniformFloat64(rng) < (options.bothBadShare ?? 0);
    const outcome = outcomeOf(rng, family);
    // Shown in a random order, as Compare does.
    const answers = [
      { requestId: companyRequest, tier: 'company' as const },
      { requestId: baseRequest, tier: 'base' as const },
    ];
    if (uniformFloat64(rng) < 0.5) answers.reverse();
    return {
      id: id(2, k),
      prompt,
      family,
      verdict: bothBad ? 'both_bad' : outcome === 'tie' ? 'tie' : 'winner',
      winnerRequestId: bothBad || outcome === 'tie' ? null : outcome === 'company' ? companyRequest : baseRequest,
      createdAt: new Date(start + k * 60_000),
      answers,
    };
  });
  const thumbs: RouterThumbSource[] = Array.from({ length: options.thumbs ?? 0 }, (_, k) => {
    const family = familyOf(rng);
    const tier = uniformFloat64(rng) < 0.5 ? ('company' as const) : ('base' as const);
    const outcome = outcomeOf(rng, family);
    // A thumbs up when this tier's answer would have won or tied.
    const up = outcome === 'tie' || outcome === tier;
    return { requestId: id(3, k), tier, prompt: syntheticPrompt(rng, family), thumbs: up ? 1 : -1, createdAt: new Date(start + k * 60_000) };
  });
  return { votes, thumbs };
}
