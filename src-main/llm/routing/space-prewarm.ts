import type { SpaceConfigRepository } from '../../store/repositories';
import type { SpaceWaker } from './space-waker';
import { TIERS } from '../../../src-shared/domain';

/**
 * Wakes each tier's active Space so the first real request does not meet a cold start: a light request to each
 * (a sleeping Space wakes on any request) and, through the waker, a restart of a paused one when a token is
 * set. Fire and forget: failures only mean the Space stays as it was.
 */
export async function prewarmSpaces(spaces: SpaceConfigRepository, waker: SpaceWaker, fetchImpl: typeof fetch = fetch): Promise<string[]> {
  const perTier = await Promise.all(TIERS.map((tier) => spaces.activeSpaceFor(tier)));
  const active = [...new Map(perTier.filter((space) => space !== undefined).map((space) => [space.spaceName, space])).values()];
  await Promise.allSettled(
    active.map(async (space) => {
      await fetchImpl(`${space.apiEndpoint.replace(/\/$/, '')}/v1/models`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      await waker.wake(space.spaceName);
    }),
  );
  return active.map((space) => space.spaceName);
}
