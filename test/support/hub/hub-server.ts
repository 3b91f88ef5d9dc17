import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, hubError, json, rateLimited, type HubAccounts, type HubRateLimit } from './hub-protocol';

/** A part of the Hub's API: answers the requests it knows (returning true), leaves the rest. */
export interface HubRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

/** A running Hub stand-in made of route modules sharing one set of accounts and one rate limit. */
export interface HubServer {
  url: string;
  accounts: HubAccounts;
  rateLimit: HubRateLimit;
  close(): Promise<void>;
}

/**
 * Starts a local Hub on 127.0.0.1 with the given routes, plus `GET /api/whoami-v2` (which `@huggingface/hub`'s
 * whoAmI and every namespace lookup call). Unknown paths answer 404 as the Hub does.
 */
export async function startHubServer(build: (shared: { accounts: HubAccounts; rateLimit: HubRateLimit }) => HubRoutes[]): Promise<HubServer> {
  const accounts: HubAccounts = { tokens: new Map(), revoked: new Set(), defaultUser: 'acme-ml' };
  const rateLimit: HubRateLimit = { limit: 1_000, windowSeconds: 300, used: 0, windowStartedAt: Date.now() };
  const routes = build({ accounts, rateLimit });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    try {
      if (req.method === 'GET' && url.pathname === '/api/whoami-v2') {
        if (rateLimited(res, rateLimit)) return;
        const name = authenticate(req, res, accounts);
        if (name === undefined) return;
        return json(res, 200, { type: 'user', id: `user-${name}`, name, fullname: name, orgs: [], auth: { type: 'access_token', accessToken: { displayName: 'triad', role: 'write' } } });
      }
      for (const route of routes) if (route.handle(req, res, url)) return;
      hubError(res, 404, 'Not Found');
    } catch (error) {
      hubError(res, 500, `stand-in error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accounts,
    rateLimit,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
