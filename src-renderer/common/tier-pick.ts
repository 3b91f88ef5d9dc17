import type { Tier } from '../../src-shared/domain';

/** What the tier picker offers: a tier, Auto, or OpenAI (tier auto on provider `openai`). */
export type TierPick = 'auto' | Tier | 'openai';

/** The request a pick sends: OpenAI is provider `openai` with the tier left to the selector. */
export function requestForPick(pick: TierPick): { tier: 'auto' | Tier; provider?: 'openai' } {
  return pick === 'openai' ? { tier: 'auto', provider: 'openai' } : { tier: pick };
}
