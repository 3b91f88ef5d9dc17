import { TriadError } from '../../src-shared/errors';
import type { LEADERBOARD_CHANNELS } from '../../src-shared/leaderboard-contract';
import { leaderboardFromStore } from '../leaderboard/store-leaderboard';
import type { ChannelHandlers } from './api-context';

/** Handlers of the leaderboard channels. */
export const LEADERBOARD_HANDLERS: ChannelHandlers<keyof typeof LEADERBOARD_CHANNELS> = {
  'leaderboard.get': async ({ services, userId }, input) => {
    const [user, companies] = await Promise.all([services.store.directory.getUserAccess(userId), services.store.directory.listCompanies()]);
    if (!user) throw new TriadError({ code: 'unauthorized', message: `unknown user '${userId}'` });
    const visible = companies.filter((c) => user.companySlugs.includes(c.slug)).map((c) => ({ slug: c.slug, name: c.name }));
    const company = input.company ?? null;
    if (company !== null && !visible.some((c) => c.slug === company)) {
      throw new TriadError({ code: 'forbidden', message: `company '${company}': not one of your companies, so its leaderboard is not yours to see` });
    }
    // A vote cast a moment ago names requests that may still wait in the request-log writer's batch: without
    // them its answers have no tier or model, and it would be left out.
    await services.requestLog.flush().catch(() => undefined);
    const board = await leaderboardFromStore(services.store.preferences, { company });
    return { ...board, companies: visible };
  },
};
