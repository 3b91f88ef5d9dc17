import type { SpaceCard } from '../../../src-shared/deploy-contract';
import { PROVIDER_LABELS, TIER_LABELS } from '../../common/tier-labels';
import { formatPricePerHour, formatSleepTime } from './deploy-format';
import { shortVersion } from './deployments-store';
import { useDeployments } from './use-deployments';

const STAGE_TONES: Record<string, string> = { RUNNING: 'good', BUILD_ERROR: 'bad', RUNTIME_ERROR: 'bad', CONFIG_ERROR: 'bad', NO_APP_FILE: 'bad', unknown: 'muted', SLEEPING: 'muted', PAUSED: 'muted', STOPPED: 'muted' };

function SpaceDetails({ card, label }: { card: SpaceCard; label: string }) {
  const stageTone = STAGE_TONES[card.stage] ?? 'active';
  return (
    <div className="deploy-space" data-testid={`space-${label.toLowerCase()}`}>
      <div className="deploy-space-head">
        <span className="deploy-space-label">{label}</span>
        <span className={`deploy-stage deploy-stage-${stageTone}`} data-testid="space-stage">
          {card.stage}
        </span>
      </div>
      <div className="deploy-space-name" title={card.endpoint}>
        {card.spaceName}
      </div>
      {card.stageDetail && (
        <p className="deploy-space-detail muted" data-testid="stage-detail">
          {card.stageDetail}
        </p>
      )}
      <dl className="deploy-facts">
        <dt>Model</dt>
        <dd data-testid="space-model">{card.modelVersion ? shortVersion(card.modelVersion) : 'none'}</dd>
        <dt>Hardware</dt>
        <dd data-testid="space-hardware">{card.hardware ? `${card.hardware} · ${formatPricePerHour(card.usdPerHour)}` : 'unknown'}</dd>
        <dt>Sleep time</dt>
        <dd>{card.stage === 'unknown' ? 'unknown' : formatSleepTime(card.sleepTimeSeconds)}</dd>
        <dt>Circuit</dt>
        <dd data-testid="space-breaker">{card.breaker.state === 'closed' ? 'closed (calls go through)' : card.breaker.state === 'open' ? 'open: calls refused after repeated failures' : 'half-open: one probe allowed'}</dd>
      </dl>
    </div>
  );
}

/** One card per tier: its live Space and, when there is one, its staging Space. */
export function TierCards() {
  const dashboard = useDeployments((s) => s.dashboard);
  const error = useDeployments((s) => s.dashboardError);
  return (
    <section className="deploy-tiers" aria-label="Tier Spaces">
      {error && <p className="inline-error">Could not read the tiers’ Spaces: {error}</p>}
      {!dashboard && !error && <p className="muted">Reading the tiers’ Spaces from the Hub…</p>}
      {dashboard?.hardwareError && <p className="notice">Hardware prices unavailable: {dashboard.hardwareError}</p>}
      {dashboard && dashboard.provider !== 'huggingface' && (
        <p className="notice" data-testid="provider-notice">
          The tiers answer from {PROVIDER_LABELS[dashboard.provider]} now: a live Space serves its tier only while the provider is Hugging Face Space (Settings → Feature flags → provider).
        </p>
      )}
      {(dashboard?.tiers ?? []).map((tier) => (
        <article key={tier.tier} className="deploy-card" aria-label={`${TIER_LABELS[tier.tier]} tier`} data-testid={`tier-card-${tier.tier}`}>
          <h2>{TIER_LABELS[tier.tier]}</h2>
          {tier.live ? <SpaceDetails card={tier.live} label="Live" /> : <p className="muted" data-testid="no-live-space">No Space of its own yet: the tier answers from its fallbacks (the local model by default).</p>}
          {tier.staging && <SpaceDetails card={tier.staging} label="Staging" />}
        </article>
      ))}
    </section>
  );
}
