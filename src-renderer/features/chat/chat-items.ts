import type { FeedbackView, TranscriptTurn } from '../../../src-shared/ipc-contract';
import type { TierPick } from '../../common/tier-pick';
import { answerFromRequest, type AnswerState } from '../answer/answer-state';


/** One row of the chat: the user's prompt, or an answer to it. */
export type ChatItem =
  | { kind: 'prompt'; id: string; text: string }
  | {
      kind: 'answer';
      id: string;
      /** What the user picked when asking; null when read back from a transcript (the log keeps only the outcome). */
      picked: TierPick | null;
      answer: AnswerState;
    };

/**
 * Rebuilds a conversation's rows from its transcript. A request that failed left no assistant message, only
 * the user's prompt with its request attached: it becomes a failed answer, so the error shows where it
 * happened.
 */
export function itemsFromTranscript(turns: readonly TranscriptTurn[]): { items: ChatItem[]; feedback: FeedbackView[] } {
  const items: ChatItem[] = [];
  const feedback: FeedbackView[] = [];
  turns.forEach((turn, index) => {
    if (turn.role === 'system') return;
    if (turn.role === 'user') {
      items.push({ kind: 'prompt', id: turn.id, text: turn.content });
      const next = turns[index + 1];
      const answered = next?.role === 'assistant' && (!turn.request || next.request?.id === turn.request.id);
      if (turn.request && !answered && turn.request.status !== 'ok') {
        items.push({ kind: 'answer', id: `${turn.id}:failed`, picked: null, answer: answerFromRequest(turn.request, '') });
      }
      return;
    }
    const answer: AnswerState = turn.request
      ? answerFromRequest(turn.request, turn.content)
      : { requestId: null, status: 'done', text: turn.content, routing: null, metrics: null, notices: [], error: null };
    items.push({ kind: 'answer', id: turn.id, picked: null, answer });
    if (turn.feedback) feedback.push(turn.feedback);
  });
  return { items, feedback };
}
