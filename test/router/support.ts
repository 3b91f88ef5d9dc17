import { randomUUID } from 'node:crypto';
import type { RequestLogEntry, TriadStore } from '../../src-main/store/repositories';
import { syntheticRouterSources, type SyntheticVote } from '../../scripts/bench/router-synthetic-votes';
import { makeEntry } from '../store/support';

/**
 * Puts a synthetic vote set (scripts/bench/router-synthetic-votes.ts) into a store the way the app records it:
 * each vote's two answers as logged requests of `company` with their prompt, then the Compare vote by `userId`.
 */
export async function storeSyntheticVotes(
  store: TriadStore,
  options: { userId: string; company: string; votes: number; seed: number },
): Promise<SyntheticVote[]> {
  const { votes } = syntheticRouterSources({ votes: options.votes, seed: options.seed });
  const entries: RequestLogEntry[] = [];
  const saved: Array<{ vote: SyntheticVote; ids: Map<string, string> }> = [];
  for (const vote of votes) {
    const ids = new Map<string, string>();
    for (const answer of vote.answers) {
      const entry = makeEntry({
        userId: options.userId,
        companySlug: options.company,
        tier: answer.tier!,
        createdAt: vote.createdAt,
        prompt: { id: randomUUID(), content: vote.prompt },
      });
      ids.set(answer.requestId, entry.id);
      entries.push(entry);
    }
    saved.push({ vote, ids });
  }
  await store.requests.recordMany(entries);
  for (const { vote, ids } of saved) {
    await store.preferences.save({
      userId: options.userId,
      prompt: vote.prompt,
      requestIds: vote.answers.map((a) => ids.get(a.requestId)!),
      verdict: vote.verdict,
      winnerRequestId: vote.winnerRequestId === null ? null : ids.get(vote.winnerRequestId)!,
    });
  }
  return votes;
}
