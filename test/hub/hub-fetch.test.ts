import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubFetch, parseRateLimit, rateLimitWaitMs } from '../../src-main/hub/hub-fetch';

/** A server answering each request with the next scripted status and headers. */
async function scripted(answers: Array<{ status: number; headers?: Record<string, string> }>): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    const answer = answers[Math.min(hits++, answers.length - 1)]!;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify({ error: answer.status === 200 ? undefined : `status ${answer.status}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whoami-v2`, server, hits: () => hits };
}

describe('the Hub fetch', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('reads the IETF RateLimit header and the time a 429 asks to wait', () => {
    expect(parseRateLimit('"api";r=12;t=30')).toEqual({ remaining: 12, resetSeconds: 30 });
    expect(parseRateLimit(null)).toEqual({ remaining: null, resetSeconds: null });
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '7' }))).toBe(7_000);
    expect(rateLimitWaitMs(new Headers({ ratelimit: '"api";r=0;t=42' }))).toBe(42_000);
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'Wed, 02 Dec 2026 10:00:05 GMT' }), now)).toBe(5_000);
    expect(rateLimitWaitMs(new Headers())).toBeNull();
  });

  it('waits as long as a 429 says (Retry-After, else the RateLimit reset), then goes on', async () => {
    const hub = await scripted([
      { status: 429, headers: { 'retry-after': '3', ratelimit: '"api";r=0;t=3' } },
      { status: 429, headers: { ratelimit: '"api";r=0;t=9' } },
      { status: 200, headers: { ratelimit: '"api";r=997;t=280' } },
    ]);
    server = hub.server;
    const waits: number[] = [];
    const hubFetch = createHubFetch({ sleep: async (ms) => void waits.push(ms) });
    const response = await hubFetch(hub.url);
    expect(response.status).toBe(200);
    expect(waits).toEqual([3_000, 9_000]);
    expect(hubFetch.rateLimit).toEqual({ remaining: 997, resetSeconds: 280 });
  });

  it('retries a 503 with backoff a few times, then returns the answer as it is; a 4xx at once', async () => {
    const hub = await scripted([{ status: 503 }]);
    server = hub.server;
    const waits: number[] = [];
    const response = await createHubFetch({ retries: 3, sleep: async (ms) => void waits.push(ms) })(hub.url);
    expect(response.status).toBe(503);
    expect(hub.hits()).toBe(4);
    expect(waits).toHaveLength(3);
    expect(waits[2]!).toBeGreaterThan(waits[0]! / 2);

    const refused = await scripted([{ status: 401 }]);
    server.close();
    server = refused.server;
    expect((await createHubFetch({ sleep: async () => undefined })(refused.url)).status).toBe(401);
    expect(refused.hits()).toBe(1);
  });

  it('does not wait longer than it may: a far reset is returned as the 429 it is', async () => {
    const hub = await scripted([{ status: 429, headers: { 'retry-after': '3600' } }]);
    server = hub.server;
    const response = await createHubFetch({ maxWaitMs: 60_000, sleep: async () => undefined })(hub.url);
    expect(response.status).toBe(429);
    expect(hub.hits()).toBe(1);
  });
});
