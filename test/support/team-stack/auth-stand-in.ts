import { randomBytes, randomUUID, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';

// TEST CODE. Supabase Auth (GoTrue) cannot run on the build machines, so this stands in for the few
// /auth/v1 endpoints supabase-js calls for email-and-password operators: the password and refresh-token
// grants, the current user, and sign-out. Its answers have GoTrue's shapes (checked against auth-js's
// lib/fetch.ts and GoTrue's internal/api/token.go) so that supabase-js treats them as the real thing; it
// is not an authentication server to deploy: no rate limits, no email confirmation, no MFA.

const hashPassword = promisify(scrypt) as (password: BinaryLike, salt: BinaryLike, length: number) => Promise<Buffer>;
const HASH_BYTES = 32;

/** `scrypt$<salt>$<hash>`, base64url, for auth.users.encrypted_password. */
export async function encryptPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await hashPassword(password, salt, HASH_BYTES);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

async function passwordMatches(password: string, encrypted: string): Promise<boolean> {
  const [scheme, salt, hash] = encrypted.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await hashPassword(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Signs an HS256 JWT the way Supabase's keys and access tokens are signed. `issuedAt` (epoch seconds,
 * default now) makes a key reproducible: the same secret then gives the same key.
 */
export async function signJwt(claims: Record<string, unknown>, secret: string, expiresInSeconds: number, issuedAt = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** An error answer of GoTrue: HTTP status, its stable error code and message. */
class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

interface AuthUserRow {
  id: string;
  email: string;
  encrypted_password: string;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** Options of {@link AuthStandIn}. */
export interface AuthStandInOptions {
  /** Superuser connections to the database holding auth.users (GoTrue has its own admin role). */
  pool: pg.Pool;
  jwtSecret: string;
  /** The gateway's URL: the tokens' issuer is `<url>/auth/v1`. */
  publicUrl: () => string;
  /** Lifetime of access tokens; GoTrue's default is an hour. */
  accessTokenSeconds?: number;
}

/** The /auth/v1 endpoints, as a request handler the gateway calls with the path after /auth/v1. */
export class AuthStandIn {
  private readonly pool: pg.Pool;
  private readonly secret: string;
  private readonly publicUrl: () => string;
  /** Settable by tests that need a token to expire. */
  accessTokenSeconds: number;

  constructor(options: AuthStandInOptions) {
    this.pool = options.pool;
    this.secret = options.jwtSecret;
    this.publicUrl = options.publicUrl;
    this.accessTokenSeconds = options.accessTokenSeconds ?? 3600;
  }

  /** Creates an account that can sign in (what the dashboard's "Add user" does); returns its id. */
  async createAccount(account: { id?: string; email: string; password: string }): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO auth.users (id, email, encrypted_password) VALUES (COALESCE($1::uuid, gen_random_uuid()), lower($2), $3) RETURNING id',
      [account.id ?? null, account.email, await encryptPassword(account.password)],
    );
    return rows[0]!.id;
  }

  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, 'http://stand-in');
    try {
      const route = `${request.method} ${url.pathname}`;
      if (route === 'POST /token') return send(request, response, 200, await this.token(url.searchParams.get('grant_type'), await readJson(request)));
      if (route === 'GET /user') return send(request, response, 200, await this.currentUser(request));
      if (route === 'POST /logout') {
        await this.logout(request, url.searchParams.get('scope') ?? 'global');
        response.writeHead(204).end();
        return;
      }
      throw new AuthError(404, 'not_found', `the Auth stand-in does not implement ${route}`);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      sendError(request, response, error);
    }
  }

  private async token(grantType: string | null, body: Record<string, unknown>): Promise<object> {
    if (grantType === 'password') return this.passwordGrant(body);
    if (grantType === 'refresh_token') return this.refreshTokenGrant(body);
    throw new AuthError(400, 'validation_failed', `unsupported_grant_type: ${grantType}`);
  }

  private async passwordGrant(body: Record<string, unknown>): Promise<object> {
    const { email, password } = body;
    if (typeof email !== 'string' || email === '') throw new AuthError(400, 'validation_failed', 'missing email or phone');
    if (typeof password !== 'string') throw new AuthError(400, 'validation_failed', 'missing password');
    const { rows } = await this.pool.query<AuthUserRow>('SELECT * FROM auth.users WHERE email = lower($1)', [email]);
    const user = rows[0];
    // GoTrue answers an unknown email and a wrong password alike, so an answer does not tell which emails exist.
    if (!user || !(await passwordMatches(password, user.encrypted_password))) {
      throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    await this.pool.query('UPDATE auth.users SET last_sign_in_at = now() WHERE id = $1', [user.id]);
    const { rows: sessions } = await this.pool.query<{ id: string }>('INSERT INTO auth.sessions (user_id) VALUES ($1) RETURNING id', [user.id]);
    return this.issueSession({ ...user, last_sign_in_at: new Date() }, sessions[0]!.id);
  }

  /** Refresh tokens are single use: each refresh revokes the one it used and issues the next. */
  private async refreshTokenGrant(body: Record<string, unknown>): Promise<object> {
    const token = body.refresh_token;
    if (typeof token !== 'string' || token === '') throw new AuthError(400, 'validation_failed', 'refresh_token required');
    const { rows } = await this.pool.query<{ session_id: string; user_id: string; revoked: boolean }>(
      'SELECT session_id, user_id, revoked FROM auth.refresh_tokens WHERE token = $1',
      [token],
    );
    const found = rows[0];
    if (!found) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (found.revoked) throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    await this.pool.query('UPDATE auth.refresh_tokens SET revoked = true WHERE token = $1', [token]);
    return this.issueSession(await this.user(found.user_id), found.session_id);
  }

  private async currentUser(request: IncomingMessage): Promise<object> {
    const claims = await this.verifiedClaims(request);
    return toUserJson(await this.user(String(claims.sub)));
  }

  private async logout(request: IncomingMessage, scope: string): Promise<void> {
    const claims = await this.verifiedClaims(request);
    if (scope === 'local') await this.pool.query('DELETE FROM auth.sessions WHERE id = $1', [claims.session_id]);
    else if (scope === 'others') await this.pool.query('DELETE FROM auth.sessions WHERE user_id = $1 AND id <> $2', [claims.sub, claims.session_id]);
    else await this.pool.query('DELETE FROM auth.sessions WHERE user_id = $1', [claims.sub]);
  }

  /** The access token's claims, if it is valid and its session still exists (as GoTrue checks). */
  private async verifiedClaims(request: IncomingMessage): Promise<Record<string, unknown>> {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(this.secret), { algorithms: ['HS256'] }));
    } catch (error) {
      throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${(error as Error).message}`);
    }
    if (typeof claims.session_id !== 'string') throw new AuthError(403, 'bad_jwt', 'invalid claim: missing session_id');
    const { rowCount } = await this.pool.query('SELECT 1 FROM auth.sessions WHERE id = $1', [claims.session_id]);
    if (!rowCount) throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    return claims;
  }

  private async user(id: string): Promise<AuthUserRow> {
    const { rows } = await this.pool.query<AuthUserRow>('SELECT * FROM auth.users WHERE id = $1', [id]);
    if (!rows[0]) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    return rows[0];
  }

  /** GoTrue's session response, with an access token PostgREST accepts and a fresh refresh token. */
  private async issueSession(user: AuthUserRow, sessionId: string): Promise<object> {
    const refreshToken = randomBytes(18).toString('base64url');
    await this.pool.query('INSERT INTO auth.refresh_tokens (token, session_id, user_id) VALUES ($1, $2, $3)', [refreshToken, sessionId, user.id]);
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await signJwt(
      {
        iss: `${this.publicUrl()}/auth/v1`,
        sub: user.id,
        aud: 'authenticated',
        role: 'authenticated',
        email: user.email,
        phone: '',
        app_metadata: user.raw_app_meta_data,
        user_metadata: user.raw_user_meta_data,
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: sessionId,
        is_anonymous: false,
        // A unique id, so that two tokens issued within the same second differ.
        jti: randomUUID(),
      },
      this.secret,
      this.accessTokenSeconds,
    );
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.accessTokenSeconds,
      expires_at: now + this.accessTokenSeconds,
      refresh_token: refreshToken,
      user: toUserJson(user),
    };
  }
}

function toUserJson(user: AuthUserRow): object {
  return {
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    email_confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    phone: '',
    last_sign_in_at: user.last_sign_in_at?.toISOString() ?? null,
    app_metadata: user.raw_app_meta_data,
    user_metadata: user.raw_user_meta_data,
    identities: [],
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    is_anonymous: false,
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

/** Clients that send X-Supabase-Api-Version (auth-js does: 2024-01-01) get GoTrue's versioned answers. */
function apiVersion(request: IncomingMessage): string | undefined {
  const version = request.headers['x-supabase-api-version'];
  return typeof version === 'string' && version >= '2024-01-01' ? '2024-01-01' : undefined;
}

function send(request: IncomingMessage, response: ServerResponse, status: number, body: object): void {
  const version = apiVersion(request);
  response.writeHead(status, { 'Content-Type': 'application/json', ...(version ? { 'X-Supabase-Api-Version': version } : {}) });
  response.end(JSON.stringify(body));
}

/** GoTrue's error bodies: `{code, message}` since API version 2024-01-01, `{code: status, error_code, msg}` before. */
function sendError(request: IncomingMessage, response: ServerResponse, error: AuthError): void {
  const body = apiVersion(request)
    ? { code: error.errorCode, message: error.message }
    : { code: error.status, error_code: error.errorCode, msg: error.message };
  send(request, response, error.status, body);
}
