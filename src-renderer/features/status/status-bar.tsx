import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TIERS } from '../../../src-shared/domain';
import { useStatus } from '../../app/store-hooks';
import { PROVIDER_LABELS, TIER_LABELS } from '../../common/tier-labels';
import { SyncIndicator } from './sync-indicator';
import './status-bar.css';

const STORE_LABELS = { pglite: 'embedded database', postgres: 'PostgreSQL', supabase: 'Supabase' } as const;

/** An endpoint's host, short enough for the status bar (the full URL is on hover). */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** Each tier's state (detail on hover), the active provider and the team sync state, live from `status.changed` and `team.changed`. */
export function StatusBar() {
  const { view, error, follow } = useStatus(useShallow((state) => ({ view: state.view, error: state.error, follow: state.follow })));
  useEffect(() => follow(), [follow]);

  return (
    <footer className="status-bar" aria-label="Status">
      {error && <span className="status-error">Status unavailable: {error}</span>}
      {view && (
        <>
          <ul className="status-tiers">
            {TIERS.map((tier) => {
              const state = view.tiers[tier];
              return (
                <li key={tier} className={`status-tier is-${state?.state ?? 'unknown'}`} title={state?.detail} data-testid={`status-${tier}`}>
                  <span className="status-dot" aria-hidden="true" />
                  {TIER_LABELS[tier]} <span className="status-state">{state?.state ?? 'unknown'}</span>
                </li>
              );
            })}
          </ul>
          {view.breakers
            .filter((breaker) => breaker.state !== 'closed')
            .map((breaker) => (
              <span key={breaker.endpoint} className={`status-breaker is-${breaker.state}`} data-testid="status-breaker" title={breaker.endpoint}>
                Circuit {breaker.state}: {hostOf(breaker.endpoint)}
                {breaker.nextProbeAt && ` · next probe ${new Date(breaker.nextProbeAt).toLocaleTimeString()}`}
              </span>
            ))}
          {view.huggingFaceTokenNotice && (
            <span className="status-notice" data-testid="status-hf-token" title={view.huggingFaceTokenNotice}>
              No Hugging Face token
            </span>
          )}
          <span className="status-provider" data-testid="status-provider">
            Provider: <strong>{PROVIDER_LABELS[view.provider]}</strong>
          </span>
          <span className="status-store">Log: {STORE_LABELS[view.store]}</span>
        </>
      )}
      <SyncIndicator />
    </footer>
  );
}
