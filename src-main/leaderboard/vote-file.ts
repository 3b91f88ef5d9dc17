import { z } from 'zod';
import { describeValidationIssues } from '../../src-shared/chat';
import type { RatedVote } from './rated-vote';

/**
 * One line of a votes file (`triad leaderboard --votes FILE.jsonl`): two models and the verdict, the way
 * Chatbot Arena's battle logs put it. Other fields (an id, a prompt) are allowed and ignored.
 */
export const VoteLineSchema = z
  .object({
    a: z.string({ error: 'must be the name of a model' }).trim().min(1, { error: 'must be the name of a model' }),
    b: z.string({ error: 'must be the name of a model' }).trim().min(1, { error: 'must be the name of a model' }),
    winner: z.enum(['a', 'b', 'tie', 'both_bad'], { error: 'must be "a", "b", "tie" or "both_bad"' }),
    company: z.string({ error: 'must be a company slug' }).min(1, { error: 'must be a company slug' }).nullable().optional(),
  })
  .refine((line) => line.a !== line.b, { error: 'a and b name the same model: a vote compares two different ones', path: ['b'] });
export type VoteLine = z.output<typeof VoteLineSchema>;

/** The line as a rated vote, or the reason it is not one (fields named as in the file). */
export function voteFromLine(value: unknown): { vote: RatedVote } | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'expected an object {"a", "b", "winner"}' };
  const parsed = VoteLineSchema.safeParse(value);
  if (!parsed.success) return { error: describeValidationIssues(parsed.error) };
  const { a, b, winner, company } = parsed.data;
  const verdict = winner === 'a' || winner === 'b' ? 'winner' : winner;
  return { vote: { models: [a, b], verdict, winner: winner === 'a' ? a : winner === 'b' ? b : null, company: company ?? null, at: null } };
}
