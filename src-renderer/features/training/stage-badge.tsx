import type { TrainingStageName } from '../../../src-shared/training-contract';
import { STAGE_LABELS } from './training-format';

export function StageBadge({ stage }: { stage: TrainingStageName }) {
  const { label, tone } = STAGE_LABELS[stage];
  return (
    <span className={`training-stage training-stage-${tone}`} data-testid="stage-badge">
      {label}
    </span>
  );
}
