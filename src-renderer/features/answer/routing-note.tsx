import { TIER_LABELS } from '../../common/tier-labels';
import type { TierPick } from '../../common/tier-pick';
import type { AnswerRouting, AnswerStatus } from './answer-state';

/** Says which tier answers and why: for Auto, the selector's reason is the point of the note. */
export function RoutingNote({ routing, picked, status }: { routing: AnswerRouting | null; picked: TierPick | null; status: AnswerStatus }) {
  if (!routing) {
    // Refused before a tier was chosen: the error below says why.
    if (status === 'failed' || status === 'done') return null;
    return <div className="routing-note routing-note-pending">Routing…</div>;
  }
  const tier = TIER_LABELS[routing.tier];
  const lead = picked === 'auto' ? `Auto chose ${tier}` : picked === 'openai' ? `OpenAI, ${tier} tier` : tier;
  return (
    <div className="routing-note" data-testid="routing-note">
      <span className={`tier-tag tier-${routing.tier}`}>{lead}</span>
      {routing.routingReason && <span className="routing-reason">{routing.routingReason}</span>}
    </div>
  );
}
