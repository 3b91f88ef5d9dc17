import { TIER_LABELS } from '../../common/tier-labels';
import { isDeploymentRunning, shortVersion } from './deployments-store';
import { StepList } from './step-list';
import { DeploymentStatusBadge } from './status-badge';
import { useDeployments } from './use-deployments';

/**
 * The deploy just started, step by step as the main process announces it; with none started here, the newest one
 * still running (started before the page opened, or by the CLI).
 */
export function DeployProgress({ now }: { now: number }) {
  const watchingId = useDeployments((s) => s.watchingId);
  const deployment = useDeployments((s) => (s.watchingId ? s.deployments.find((d) => d.id === s.watchingId) : s.deployments.find(isDeploymentRunning)));
  if (!watchingId && !deployment) return null;
  return (
    <section className="deploy-panel" aria-label="Deploy progress" data-testid="deploy-progress">
      {deployment ? (
        <>
          <h2>
            {deployment.kind === 'rollback' ? 'Rollback' : 'Deploy'} of {shortVersion(deployment.modelVersion)} to {deployment.tier ? TIER_LABELS[deployment.tier] : 'a tier'}{' '}
            {deployment.target === 'staging' ? 'staging' : 'live'} <DeploymentStatusBadge status={deployment.status} />
          </h2>
          {deployment.spaceRepo && <p className="muted">Space {deployment.spaceRepo}</p>}
          <StepList steps={deployment.steps} now={now} />
          {deployment.summary && (
            <p className="deploy-summary" data-testid="deploy-summary">
              {deployment.summary}
            </p>
          )}
        </>
      ) : (
        <p className="muted">Starting the deploy…</p>
      )}
    </section>
  );
}
