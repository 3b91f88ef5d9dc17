import type { EvaluationStatus } from '../../../src-shared/evaluation-contract';
import { STATUS_LABELS } from './evaluation-format';

export function EvaluationStatusBadge({ status }: { status: EvaluationStatus }) {
  const { label, tone } = STATUS_LABELS[status];
  return (
    <span className={`evaluation-status evaluation-status-${tone}`} data-testid="evaluation-status">
      {label}
    </span>
  );
}
