import type { ChatRequest } from '../../src-shared/chat';
import type { Provider, Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import type { UserAccess } from '../store/repositories';
import { classifyAbstractionIntent, type AbstractionIntent } from './abstraction-intent';
import type { ModelTarget, TargetResolver } from './model-target';
import { defaultStrategy } from './routing/default-strategy';
import type { RoutingSettings, StrategyNode, TargetRef } from '../../src-shared/routing';
import type { RouterLookup, TierRouterBook } from '../router/tier-router-book';

/** Which tier serves a request, by which strategy, the target it plans to start with, and one line saying why. */
export interface Selection {
  tier: Tier;
  /** The provider the strategy starts from (the flag's, or the user's explicit choice). */
  provider: Provider;
  strategy: StrategyNode;
  /** The strategy's first target, when it resolves; the route executor may end up elsewhere. */
  planned: ModelTarget | undefined;
  reason: string;
}

/** What the selector knows about a request. */
export interface SelectionInput {
  request: ChatRequest;
  user: UserAccess;
  flags: FeatureFlags;
}

/** Facts the automatic rules look at, computed once per request. */
interface RequestFacts {
  company: string | undefined;
  hasCompanyAccess: boolean;
  intent: AbstractionIntent;
}

/** An automatic routing rule: when it matches and its tier is enabled, that tier serves the request. */
interface AutoRule {
  tier: Tier;
  matches(facts: RequestFacts): boolean;
  reason(facts: RequestFacts): string;
}

/**
 * The rules for `auto`, in order; the first that matches an enabled tier wins. A cross-business question
 * outranks the company context: the company context is usually always set (it is a user setting), and a
 * question about "similar businesses" asks for what only the Abstraction tier has.
 */
const AUTO_RULES: readonly AutoRule[] = [
  {
    tier: 'abstraction',
    matches: (f) => f.intent.matched,
    reason: (f) => `cross-business question (${f.intent.signals.map((s) => `'${s}'`).join(', ')})`,
  },
  {
    tier: 'company',
    matches: (f) => f.company !== undefined && f.hasCompanyAccess,
    reason: (f) => `company context '${f.company}' and user has access`,
  },
  {
    tier: 'base',
    matches: () => true,
    reason: (f) =>
      f.company === undefined
        ? 'general question, no company context'
        : f.hasCompanyAccess
          ? `general question in company context '${f.company}'`
          : `general question; user has no access to company '${f.company}'`,
  },
];

/** The `learned` rule's verdict: a tier with its reason, or why it left the choice to the rules. */
type LearnedVerdict = { tier: Tier; reason: string } | { deferred: string };

const twoDecimals = (value: number) => value.toFixed(2);

/**
 * The `learned` rule: the company's router scores the prompt and picks between the tiers it was trained for.
 * It is asked only for a company the user has access to, so neither of its tiers is one the user may not use;
 * it defers to the rules when it has no router, when a tier of its pair is off, and when the score lies within
 * the router's unsure margin of the threshold (a call the next vote could flip: src-shared/router-contract.ts).
 */
function learnedRule(lookup: RouterLookup, prompt: string, flags: FeatureFlags): LearnedVerdict {
  if ('missing' in lookup) return { deferred: `learned router: ${lookup.missing}, so the rules decide` };
  const { router } = lookup;
  const off = [router.strongTier, router.weakTier].filter((tier) => !flags.tiers[tier]);
  if (off.length > 0) return { deferred: `learned router: ${off.join(' and ')} tier off, so the rules decide` };
  const score = router.score(prompt);
  const wins = `${router.strongTier} tier wins ${twoDecimals(score)}`;
  if (Math.abs(score - router.threshold) < router.unsureMargin) {
    return { deferred: `learned router unsure: ${wins}, within ${Number(router.unsureMargin.toPrecision(2))} of ${twoDecimals(router.threshold)}, so the rules decide` };
  }
  if (score >= router.threshold) return { tier: router.strongTier, reason: `learned router: ${wins} ≥ ${twoDecimals(router.threshold)}` };
  return { tier: router.weakTier, reason: `learned router: ${wins} < ${twoDecimals(router.threshold)}: ${router.weakTier} tier` };
}

/**
 * Picks the tier by the rules above (or honours the user's explicit choice within their permissions). With
 * `learned` (the `router.learned` flag is on and the user may use the request's company), the company's router
 * decides after the cross-business rule and before the company rule.
 */
export function chooseTier(input: SelectionInput, learned?: RouterLookup): { tier: Tier; reason: string } {
  const { request, user, flags } = input;
  const company = request.context.company;
  const hasCompanyAccess = company !== undefined && user.companySlugs.includes(company);

  if (request.tier !== 'auto') {
    const tier = request.tier;
    if (!flags.tiers[tier]) {
      throw new TriadError({ code: 'tier_disabled', tier, message: `the ${tier} tier is turned off (feature flag tier.${tier}.enabled)` });
    }
    if (tier === 'company') {
      if (company === undefined) {
        throw new TriadError({ code: 'validation_failed', tier, message: 'context.company: the company tier needs a company context' });
      }
      if (!hasCompanyAccess) {
        throw new TriadError({ code: 'forbidden', tier, message: `user has no access to company '${company}'` });
      }
      return { tier, reason: `company tier requested for '${company}' and user has access` };
    }
    return { tier, reason: `${tier} tier requested by the user` };
  }

  const lastUserMessage = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  const facts: RequestFacts = { company, hasCompanyAccess, intent: classifyAbstractionIntent(lastUserMessage) };
  // The cross-business rule keeps precedence: a question about other businesses asks for what neither of the
  // router's tiers has, and the router never saw such votes for this company's pair.
  const verdict = learned && hasCompanyAccess && !(facts.intent.matched && flags.tiers.abstraction) ? learnedRule(learned, lastUserMessage, flags) : undefined;
  if (verdict && 'tier' in verdict) return verdict;
  const ruled = byRules(facts, flags);
  return verdict ? { tier: ruled.tier, reason: `${ruled.reason}; ${verdict.deferred}` } : ruled;
}

/** The first of {@link AUTO_RULES} that matches an enabled tier. */
function byRules(facts: RequestFacts, flags: FeatureFlags): { tier: Tier; reason: string } {
  const skipped: string[] = [];
  for (const rule of AUTO_RULES) {
    if (!rule.matches(facts)) continue;
    if (!flags.tiers[rule.tier]) {
      skipped.push(`${rule.tier} tier is off`);
      continue;
    }
    const reason = rule.reason(facts);
    return { tier: rule.tier, reason: skipped.length > 0 ? `${reason} (${skipped.join(', ')})` : reason };
  }
  throw new TriadError({ code: 'no_tier_available', message: `no tier can serve this request (${skipped.join(', ')})` });
}

/** The flagged provider, or the user's explicit choice when the flags allow it. */
export function chooseProvider({ request, flags }: SelectionInput): Provider {
  const requested = request.provider;
  if (!requested || requested === flags.provider) return flags.provider;
  if (requested === 'openai' && !flags.openaiEnabled) {
    throw new TriadError({ code: 'provider_disabled', provider: 'openai', message: 'OpenAI is turned off (feature flag openai.enabled)' });
  }
  return requested;
}

/** The model selector: the tier from the rules, the strategy from the settings or the default chain. */
export class ModelSelector {
  /** `routers`: the companies' learned routers, held in memory; without it the `learned` rule never applies. */
  constructor(
    private readonly targets: TargetResolver,
    private readonly routers?: TierRouterBook,
  ) {}

  async select(input: SelectionInput, routing: RoutingSettings): Promise<Selection> {
    const company = input.request.context.company;
    const learned =
      this.routers && input.flags.learnedRouter && input.request.tier === 'auto' && company !== undefined && input.user.companySlugs.includes(company)
        ? await this.routers.lookup(company)
        : undefined;
    const { tier, reason } = chooseTier(input, learned);
    const provider = chooseProvider(input);
    const custom = provider === input.flags.provider ? routing.strategies[tier] : undefined;
    const strategy = custom ?? defaultStrategy(tier, provider, input.flags);
    const first = firstTarget(strategy);
    const planned = first ? await this.targets.resolveRef(first, tier, input.request.priority, input.flags).catch(() => undefined) : undefined;
    const notes = [reason, provider !== input.flags.provider ? `${provider} requested by the user` : undefined, planned?.note];
    return { tier, provider, strategy, planned: planned?.target, reason: notes.filter(Boolean).join('; ') };
  }
}

/** The target a strategy tries first (a load-balanced node's heaviest option). */
export function firstTarget(node: StrategyNode): TargetRef | undefined {
  if (node.mode === 'single') return node.target;
  if (node.mode === 'fallback') return node.targets[0] && firstTarget(node.targets[0]);
  const heaviest = [...node.targets].sort((a, b) => b.weight - a.weight)[0];
  return heaviest && firstTarget(heaviest.node);
}
