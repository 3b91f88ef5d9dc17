import type { DeployStepView } from '../../../src-shared/deploy-contract';
import { formatDuration, STEP_LABELS, STEP_STATUS } from './deploy-format';
import { stepDurationMs } from './deployments-store';
import { GateVerdictNote } from './gate-verdict';

/**
 * A deploy's steps as a vertical list: status symbol, name, duration, the step's message and its log lines.
 * Messages and log lines come from the Hub and the Space: they are drawn as text, never as HTML.
 */
export function StepList({ steps, now }: { steps: DeployStepView[]; now: number }) {
  return (
    <ol className="deploy-steps" aria-label="Steps">
      {steps.map((step) => {
        const status = STEP_STATUS[step.status];
        const duration = stepDurationMs(step, now);
        return (
          <li key={step.name} className={`deploy-step deploy-step-${step.status}`} data-testid="deploy-step" data-step={step.name} data-status={step.status}>
            <div className="deploy-step-head">
              <span className="deploy-step-symbol" aria-label={status.label} title={status.label}>
                {status.symbol}
              </span>
              <span className="deploy-step-name">{STEP_LABELS[step.name] ?? step.name}</span>
              {duration !== null && <span className="deploy-step-duration muted">{formatDuration(duration)}</span>}
            </div>
            {step.message && (
              <p className="deploy-step-message" data-testid="step-message">
                {step.message}
              </p>
            )}
            {step.gate && <GateVerdictNote verdict={step.gate} advice={false} />}
            {step.log.length > 0 && (
              <pre className="deploy-log" data-testid="step-log" aria-label={`${STEP_LABELS[step.name] ?? step.name} log`}>
                {step.log.join('\n')}
              </pre>
            )}
          </li>
        );
      })}
    </ol>
  );
}
