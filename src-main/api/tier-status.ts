import { TIERS, type Tier } from '../../src-shared/domain';
import type { TriadErrorShape } from '../../src-shared/errors';
import type { StatusView } from '../../src-shared/ipc-contract';
import type { FeatureFlagService } from '../llm/feature-flag-service';
import type { CircuitBreakers } from '../llm/routing/circuit-breakers';

type TierState = StatusView['tiers'][Tier];

/** Errors that say something about the tier's model or endpoint, not about the request. */
const REQUEST_FAULTS = new Set(['validation_failed', 'unauthorized', 'forbidden', 'tier_disabled', 'provider_disabled', 'no_tier_available', 'aborted', 'rate_limited', 'budget_exhausted']);

/**
 * What the status bar shows per tier, learnt from the requests themselves: `loading` while a request waits
 * for its first token (a model loading, a Space waking), `down` after a failure of the model or endpoint,
 * `ready` after an answer, `disabled` when the tier's flag is off.
 */
export class TierStatusTracker {
  private readonly waiting = new Map<Tier, number>();
  private readonly last = new Map<Tier, TierState>();
  private lastView = '';

  constructor(
    private readonly flags: FeatureFlagService,
    /** The store in use, which team mode changes while the app runs. */
    private readonly backend: () => StatusView['store'],
    private readonly breakers: CircuitBreakers,
    private readonly onChange: (view: StatusView) => void,
    /** Whether Spaces are called without a Hugging Face token (see SpaceTokenNotice). */
    private readonly tokenNotice?: { read(): Promise<string | undefined>; invalidate(): void },
  ) {
    breakers.onChange(() => this.changed());
  }

  /** Something the view derives from changed elsewhere (a flag): recompute and tell the clients. */
  refresh(): void {
    this.tokenNotice?.invalidate();
    this.changed();
  }

  started(tier: Tier): void {
    this.waiting.set(tier, (this.waiting.get(tier) ?? 0) + 1);
    this.changed();
  }

  firstToken(tier: Tier): void {
    this.settle(tier);
    this.last.set(tier, { state: 'ready', detail: 'answering' });
    this.changed();
  }

  finished(tier: Tier, answeredText: boolean): void {
    if (!answeredText) this.settle(tier);
    this.last.set(tier, { state: 'ready', detail: 'answered the last request' });
    this.changed();
  }

  failed(tier: Tier | undefined, error: TriadErrorShape, hadFirstToken: boolean): void {
    if (!tier) return;
    if (!hadFirstToken) this.settle(tier);
    if (!REQUEST_FAULTS.has(error.code)) this.last.set(tier, { state: 'down', detail: error.message });
    this.changed();
  }

  async view(): Promise<StatusView> {
    const { flags } = await this.flags.read();
    const tiers = Object.fromEntries(
      TIERS.map((tier): [Tier, TierState] => {
        if (!flags.tiers[tier]) return [tier, { state: 'disabled', detail: `turned off (tier.${tier}.enabled)` }];
        if ((this.waiting.get(tier) ?? 0) > 0) return [tier, { state: 'loading', detail: 'waiting for the first token' }];
        return [tier, this.last.get(tier) ?? { state: 'ready', detail: 'no request yet' }];
      }),
    ) as StatusView['tiers'];
    const huggingFaceTokenNotice = await this.tokenNotice?.read();
    return { provider: flags.provider, tiers, store: this.backend(), breakers: this.breakers.snapshot(), ...(huggingFaceTokenNotice && { huggingFaceTokenNotice }) };
  }

  private settle(tier: Tier): void {
    this.waiting.set(tier, Math.max(0, (this.waiting.get(tier) ?? 0) - 1));
  }

  private changed(): void {
    void this.view().then(
      (view) => {
        const text = JSON.stringify(view);
        if (text === this.lastView) return;
        this.lastView = text;
        this.onChange(view);
      },
      () => undefined,
    );
  }
}
