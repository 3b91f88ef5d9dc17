import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What every Hub endpoint of the stand-in shares, as the Hub does it: bearer tokens that start with `hf_`, JSON
 * errors as `{"error": "…"}` (huggingface_hub's hf_raise_for_status reads that and `X-Error-Message`), and the
 * rate limit of the API, a fixed 5-minute window whose state every answer carries in the IETF `RateLimit`
 * header (`"api";r=<left>;t=<seconds to reset>`), with a 429 and `Retry-After` once it is used up.
 */
export interface HubAccounts {
  /** Token → account name; an `hf_` token not listed belongs to `defaultUser`. */
  tokens: Map<string, string>;
  /** Tokens that were revoked: 401. */
  revoked: Set<string>;
  defaultUser: string;
}

export interface HubRateLimit {
  /** Calls allowed per window. */
  limit: number;
  windowSeconds: number;
  used: number;
  windowStartedAt: number;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function hubError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: message }, { 'x-error-message': message, ...headers });
}

/** The account a request's token belongs to, or undefined after answering 401. */
export function authenticate(req: IncomingMessage, res: ServerResponse, accounts: HubAccounts): string | undefined {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token || !token.startsWith('hf_') || accounts.revoked.has(token)) {
    hubError(res, 401, 'Invalid credentials in Authorization header');
    return undefined;
  }
  return accounts.tokens.get(token) ?? accounts.defaultUser;
}

/** Counts the call against the window; answers 429 (and returns false) when the window is used up. */
export function rateLimited(res: ServerResponse, limit: HubRateLimit, now = Date.now()): boolean {
  if (now - limit.windowStartedAt >= limit.windowSeconds * 1000) {
    limit.windowStartedAt = now;
    limit.used = 0;
  }
  const reset = Math.max(1, Math.ceil((limit.windowStartedAt + limit.windowSeconds * 1000 - now) / 1000));
  const policy = `"fixed window";"api";q=${limit.limit};w=${limit.windowSeconds}`;
  if (limit.used >= limit.limit) {
    hubError(res, 429, 'You have exceeded our hourly quotas for action: api. Retry later.', {
      'retry-after': String(reset),
      ratelimit: `"api";r=0;t=${reset}`,
      'ratelimit-policy': policy,
    });
    return true;
  }
  limit.used++;
  res.setHeader('ratelimit', `"api";r=${limit.limit - limit.used};t=${reset}`);
  res.setHeader('ratelimit-policy', policy);
  return false;
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/** Starts a Server-Sent Events answer. */
export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}
