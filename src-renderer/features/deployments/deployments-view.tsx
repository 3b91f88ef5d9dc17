import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useStores } from '../../app/stores-context';
import { DeployForm } from './deploy-form';
import { DeployHistory } from './deploy-history';
import { DeployProgress } from './deploy-progress';
import { DeployTimeline } from './deploy-timeline';
import { isDeploymentRunning } from './deployments-store';
import { TierCards } from './tier-cards';
import { useDeployments } from './use-deployments';
import { VersionStats } from './version-stats';
import '../../common/page.css';
import './deployments.css';

/** How often the tiers' Spaces are read again while the page is open: stages change without events; the Hub allows ~1,000 calls per 5 min. */
const DASHBOARD_REFRESH_MS = 30_000;

/**
 * The Deployment dashboard: the tiers' Spaces as they run now, a form to deploy a registered version (ML leads and
 * admins), the live steps of a deploy, the history with rollback, and the deployments over time.
 */
export function DeploymentsView() {
  const stores = useStores();
  const role = useStore(stores.settings, (s) => s.view?.user.role);
  const canDeploy = role === 'ml_lead' || role === 'admin';
  const { load, follow, refreshDashboard, running } = useDeployments(
    useShallow((s) => ({ load: s.load, follow: s.follow, refreshDashboard: s.refreshDashboard, running: s.deployments.some(isDeploymentRunning) })),
  );
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => follow(), [follow]);
  useEffect(() => {
    if (role) void load({ canDeploy });
  }, [role, canDeploy, load]);
  useEffect(() => {
    const timer = setInterval(() => void refreshDashboard(), DASHBOARD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshDashboard]);
  // Durations of running steps tick.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);

  return (
    <div className="page-view deployments-view" data-testid="deployments-view">
      <header>
        <h1>Deployments</h1>
        <p className="muted">Each tier’s Hugging Face Space: what it runs and how; deploy a registered version to it or to its staging Space, watch it come up, roll back in one click.</p>
      </header>
      <TierCards />
      {role && !canDeploy && (
        <p className="notice" data-testid="deploy-not-allowed">
          Only ML leads and admins deploy and roll back: a deploy changes what every operator’s answers come from, and paid hardware spends the team’s Hugging Face credit. You can follow the deployments below.
        </p>
      )}
      {canDeploy && <DeployForm />}
      <DeployProgress now={now} />
      <VersionStats />
      <DeployTimeline />
      <DeployHistory now={now} canDeploy={canDeploy} />
    </div>
  );
}
