import { deploymentStatusLabel } from './deploy-format';

export function DeploymentStatusBadge({ status }: { status: string }) {
  const { label, tone } = deploymentStatusLabel(status);
  return (
    <span className={`deploy-badge deploy-badge-${tone}`} data-testid="deployment-status">
      {label}
    </span>
  );
}
