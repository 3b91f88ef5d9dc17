import { useShallow } from 'zustand/react/shallow';
import type { BlindVerdict, EvaluationItemView } from '../../../src-shared/evaluation-contract';
import { EVALUATION_KEYS } from './evaluation-keys';
import { acceptsVerdicts, isJudgeable, judgingProgress, sideView, type SideView } from './evaluation-items';
import { useEvaluation } from './use-evaluation';

const VERDICT_BUTTONS: Array<{ verdict: BlindVerdict; label: string; key: string }> = [
  { verdict: 'a', label: 'A is better', key: 'a' },
  { verdict: 'tie', label: 'Tie', key: 't' },
  { verdict: 'b', label: 'B is better', key: 'b' },
];

/**
 * One eval prompt and its two answers, side by side and blind: the page knows them only as A and B (the main
 * process drew the order), and nothing here says which is the candidate. The judge model's verdict is not shown
 * either, so it cannot sway the operator's. All model text is rendered as text, never as HTML.
 */
export function JudgingView() {
  const { detail, cursor, streamed, judgeError, move, judge } = useEvaluation(
    useShallow((s) => ({ detail: s.detail, cursor: s.cursor, streamed: s.streamed, judgeError: s.judgeError, move: s.move, judge: s.judge })),
  );
  if (!detail) return null;
  const item = detail.items[cursor];
  const progress = judgingProgress(detail.items);
  const open = acceptsVerdicts(detail);

  return (
    <section className="page-card evaluation-judging" aria-label="Blind judging">
      <header className="evaluation-judging-header">
        <h2>Blind judging</h2>
        <div className="evaluation-progress" data-testid="judging-progress">
          <span>
            judged {progress.judged} of {progress.of}
          </span>
          <progress max={Math.max(progress.of, 1)} value={progress.judged} aria-label="Judged" />
        </div>
      </header>
      {detail.items.length === 0 ? (
        <p className="muted">{detail.status === 'generating' ? 'Reading the eval split…' : 'This run has no prompts.'}</p>
      ) : (
        item && (
          <>
            <nav className="evaluation-pager" aria-label="Prompts">
              <button type="button" className="button" onClick={() => move(-1)} disabled={cursor === 0}>
                ← Previous
              </button>
              <span data-testid="prompt-position">
                Prompt {cursor + 1} of {detail.items.length}
                {item.companySlug && <span className="muted"> · {item.companySlug}</span>}
              </span>
              <button type="button" className="button" onClick={() => move(1)} disabled={cursor >= detail.items.length - 1}>
                Next →
              </button>
            </nav>
            <Conversation messages={item.messages} />
            <div className="evaluation-sides">
              <AnswerPane side="a" view={sideView(item.a, streamed[item.id]?.a)} />
              <AnswerPane side="b" view={sideView(item.b, streamed[item.id]?.b)} />
            </div>
            <div className="evaluation-verdicts" role="group" aria-label="Verdict">
              {VERDICT_BUTTONS.map(({ verdict, label, key }) => (
                <button
                  key={verdict}
                  type="button"
                  className={item.verdict === verdict ? 'button is-chosen' : 'button'}
                  aria-pressed={item.verdict === verdict}
                  disabled={!open || !isJudgeable(item)}
                  onClick={() => void judge(verdict)}
                >
                  {label} <kbd>{key}</kbd>
                </button>
              ))}
              <VerdictNote item={item} open={open} />
            </div>
          </>
        )
      )}
      {judgeError && (
        <p className="inline-error" role="alert" data-testid="judge-error">
          {judgeError}
        </p>
      )}
      <p className="muted evaluation-keys">
        {EVALUATION_KEYS.map(({ keys, does }) => (
          <span key={does}>
            {keys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}{' '}
            {does}
          </span>
        ))}
      </p>
    </section>
  );
}

function VerdictNote({ item, open }: { item: EvaluationItemView; open: boolean }) {
  let note: string;
  if (item.verdict) note = `Your verdict: ${item.verdict === 'tie' ? 'tie' : `${item.verdict.toUpperCase()} is better`}`;
  else if (!open) note = 'Not judged';
  else if (item.a?.error != null || item.b?.error != null) note = 'A side failed: left out of the report';
  else if (!isJudgeable(item)) note = 'Judge once both answers have finished';
  else note = 'Which answer is better?';
  return (
    <span className="evaluation-verdict-note" role="status" data-testid="verdict-note">
      {note}
    </span>
  );
}

/** The conversation up to the prompt: earlier turns muted, the prompt itself in full. */
function Conversation({ messages }: { messages: EvaluationItemView['messages'] }) {
  return (
    <ol className="evaluation-conversation" aria-label="Prompt">
      {messages.map((message, i) => (
        <li key={i} className={`evaluation-message is-${message.role}${i === messages.length - 1 ? ' is-prompt' : ''}`}>
          <span className="evaluation-role">{message.role}</span>
          <div className="evaluation-text">{message.content}</div>
        </li>
      ))}
    </ol>
  );
}

function AnswerPane({ side, view }: { side: 'a' | 'b'; view: SideView }) {
  return (
    <section className="evaluation-side" aria-label={`Answer ${side.toUpperCase()}`} data-testid={`answer-${side}`} data-state={view.state}>
      <header>
        <h3>Answer {side.toUpperCase()}</h3>
        {view.state === 'answering' && (
          <span className="evaluation-busy">
            <span className="spinner" aria-hidden="true" /> writing…
          </span>
        )}
      </header>
      <div className="evaluation-text evaluation-answer-text" data-testid="answer-text">
        {view.text}
      </div>
      {view.state === 'failed' && (
        <p className="inline-error" role="alert">
          This side failed to answer: {view.error}
        </p>
      )}
    </section>
  );
}
