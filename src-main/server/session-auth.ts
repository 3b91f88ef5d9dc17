import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh session token: 32 random bytes, URL-safe. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** What {@link SessionAuth.check} decided. */
export type AuthResult = { ok: false } | { ok: true; setCookie?: string };

/**
 * The one secret of a browser-mode server. The first page load brings it as `?token=`; the answer sets it
 * as an HttpOnly, SameSite=Strict cookie, which the page's later requests (fetch, EventSource, assets)
 * carry. Programs may send `Authorization: Bearer <token>` instead. The cookie is named after the port:
 * cookies are shared by every port of a host, so two servers side by side would otherwise overwrite each
 * other's. Comparisons hash both sides to equal length first, then compare in constant time.
 */
export class SessionAuth {
  private readonly expected: Buffer;
  readonly cookieName: string;

  constructor(
    readonly token: string,
    port: number,
  ) {
    this.expected = digest(token);
    this.cookieName = `triad_session_${port}`;
  }

  /** Accepts the bearer header or the cookie; `allowQueryToken` also accepts `?token=` (page loads). */
  check(request: IncomingMessage, query: URLSearchParams, allowQueryToken: boolean): AuthResult {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (this.matches(bearer)) return { ok: true };
    if (this.cookies(request).some((value) => this.matches(value))) return { ok: true };
    if (allowQueryToken && this.matches(query.get('token') ?? undefined)) {
      return { ok: true, setCookie: `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/` };
    }
    return { ok: false };
  }

  private matches(candidate: string | undefined): boolean {
    return candidate !== undefined && timingSafeEqual(digest(candidate), this.expected);
  }

  /** Every value of this server's cookie (a browser may send duplicates). */
  private cookies(request: IncomingMessage): string[] {
    const values: string[] = [];
    for (const pair of (request.headers.cookie ?? '').split(';')) {
      const separator = pair.indexOf('=');
      if (separator > 0 && pair.slice(0, separator).trim() === this.cookieName) values.push(pair.slice(separator + 1).trim());
    }
    return values;
  }
}

/**
 * DNS-rebinding defence: a page on any domain that resolves to 127.0.0.1 reaches this server with its own
 * domain in Host. Only the loopback names, with this server's port, are ours.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  const value = host?.toLowerCase();
  return value === `127.0.0.1:${port}` || value === `localhost:${port}`;
}

/** An Origin header, when a browser sends one, must be the page's own origin (Host already checked). */
export function isSameOrigin(origin: string | undefined, host: string): boolean {
  return origin === undefined || origin.toLowerCase() === `http://${host.toLowerCase()}`;
}
