import { Fragment, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEPLOYMENT_STATUSES, type DeploymentView } from '../../../src-shared/deploy-contract';
import { TIERS, type Tier } from '../../../src-shared/domain';
import { TIER_LABELS } from '../../common/tier-labels';
import { deploymentStatusLabel, formatDateTime, formatDuration } from './deploy-format';
import { canRollBackTo, filterDeployments, shortVersion, type HistoryFilters } from './deployments-store';
import { StepList } from './step-list';
import { DeploymentStatusBadge } from './status-badge';
import { useDeployments } from './use-deployments';

function RollbackButton({ deployment }: { deployment: DeploymentView }) {
  const [confirming, setConfirming] = useState(false);
  const { rollingBack, rollbackTo } = useDeployments(useShallow((s) => ({ rollingBack: s.rollingBack, rollbackTo: s.rollbackTo })));
  const where = `${deployment.tier ? TIER_LABELS[deployment.tier] : ''} ${deployment.target === 'staging' ? 'staging' : 'live'}`;
  if (!confirming) {
    return (
      <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
        Roll back to this
      </button>
    );
  }
  return (
    <span className="deploy-confirm" role="group" aria-label="Confirm rollback">
      <span>
        Deploy {shortVersion(deployment.modelVersion)} to {where} again?
      </span>
      <button
        type="button"
        className="button button-small button-danger"
        disabled={rollingBack}
        onClick={() => {
          setConfirming(false);
          void rollbackTo(deployment);
        }}
      >
        Confirm rollback
      </button>
      <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}

function Filters() {
  const { filters, setFilters } = useDeployments(useShallow((s) => ({ filters: s.filters, setFilters: s.setFilters })));
  return (
    <div className="deploy-filters">
      <label>
        <span className="field-label">Tier</span>
        <select aria-label="Filter by tier" value={filters.tier} onChange={(e) => setFilters({ tier: e.target.value as Tier | 'all' })}>
          <option value="all">All tiers</option>
          {TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {TIER_LABELS[tier]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Status</span>
        <select aria-label="Filter by status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value })}>
          <option value="all">Any status</option>
          {DEPLOYMENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {deploymentStatusLabel(status).label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Kind</span>
        <select aria-label="Filter by kind" value={filters.kind} onChange={(e) => setFilters({ kind: e.target.value as HistoryFilters['kind'] })}>
          <option value="all">Deploys and rollbacks</option>
          <option value="deploy">Deploys</option>
          <option value="rollback">Rollbacks</option>
        </select>
      </label>
    </div>
  );
}

/** Every deploy and rollback, filterable; a row opens to its steps and logs, and an earlier good one can be rolled back to. */
export function DeployHistory({ now, canDeploy }: { now: number; canDeploy: boolean }) {
  const { deployments, filters, expanded, toggleExpanded, historyError, rollbackError } = useDeployments(
    useShallow((s) => ({ deployments: s.deployments, filters: s.filters, expanded: s.expanded, toggleExpanded: s.toggleExpanded, historyError: s.historyError, rollbackError: s.rollbackError })),
  );
  const shown = filterDeployments(deployments, filters);
  return (
    <section className="deploy-panel" aria-label="Deployment history">
      <h2>History</h2>
      <Filters />
      {historyError && <p className="inline-error">Could not read the history: {historyError}</p>}
      {rollbackError && (
        <p className="inline-error" role="alert" data-testid="rollback-error">
          Not rolled back: {rollbackError}
        </p>
      )}
      <table className="deploy-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Tier</th>
            <th scope="col">Kind</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Took</th>
            <th scope="col">Override reason</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => {
            const open = expanded.has(d.id);
            const took = d.finishedAt ? Date.parse(d.finishedAt) - Date.parse(d.createdAt) : now - Date.parse(d.createdAt);
            return (
              <Fragment key={d.id}>
                <tr data-testid="deployment-row" data-deployment-id={d.id}>
                  <td>
                    <button type="button" className="link-button" aria-expanded={open} onClick={() => toggleExpanded(d.id)}>
                      {open ? '▾' : '▸'} {formatDateTime(d.createdAt)}
                    </button>
                  </td>
                  <td>
                    {d.tier ? TIER_LABELS[d.tier] : '—'} {d.target === 'staging' ? '(staging)' : ''}
                  </td>
                  <td>{d.kind}</td>
                  <td className="deploy-version" title={d.modelVersion ?? undefined}>
                    {shortVersion(d.modelVersion)}
                  </td>
                  <td>
                    <DeploymentStatusBadge status={d.status} />
                  </td>
                  <td>{formatDuration(Math.max(0, took))}</td>
                  <td data-testid="override-reason">{d.overrideReason ?? ''}</td>
                  <td>{canDeploy && canRollBackTo(d, deployments) && <RollbackButton deployment={d} />}</td>
                </tr>
                {open && (
                  <tr className="deploy-history-detail">
                    <td colSpan={8}>
                      {d.summary && <p className="deploy-summary">{d.summary}</p>}
                      <StepList steps={d.steps} now={now} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">{deployments.length === 0 ? 'No deployments yet.' : 'No deployment matches these filters.'}</p>}
    </section>
  );
}
