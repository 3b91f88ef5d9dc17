import type { AnswerState } from './answer-state';
import { describeAnswerMetadata } from './metrics-format';

/** The line under an answer: tier, provider, model and version, first token, latency, tokens, finish. */
export function AnswerMetadataLine({ answer }: { answer: AnswerState }) {
  const items = describeAnswerMetadata(answer);
  if (items.length === 0) return null;
  return (
    <dl className="answer-metadata" data-testid="answer-metadata">
      {items.map((item) => (
        <div key={item.label} className="answer-metadata-item">
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
