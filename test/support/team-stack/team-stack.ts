import { randomBytes, randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import type { Role } from '../../../src-shared/domain';
import { openPostgresExecutor } from '../../../src-main/store/adapters/postgres-executor';
import { migrate } from '../../../src-main/store/migrator';
import { createOperatorClient, signInOperator } from '../../../src-main/store/supabase/operator-client';
import { startPostgresServer, type PostgresServer } from '../postgres-server';
import { AuthStandIn, signJwt } from './auth-stand-in';
import { startGateway, type Gateway } from './gateway';
import { startPostgrest, type PostgrestProcess } from './postgrest-process';
import { SUPABASE_BOOTSTRAP_SQL } from './supabase-bootstrap';

/** An operator created by {@link TeamStack.createOperator}: an Auth account and a row of `users`. */
export interface TeamOperator {
  id: string;
  email: string;
  password: string;
  role: Role;
  companies: string[];
}

/**
 * A local stand-in for a Supabase project, without Docker: a real PostgreSQL migrated with migrations/, the
 * real PostgREST behind a gateway serving /rest/v1 and /auth/v1 as Supabase does, and the Auth stand-in.
 */
export interface TeamStack {
  /** The project URL to give supabase-js. */
  url: string;
  anonKey: string;
  /** For tooling only: bypasses row-level security. Never for the app. */
  serviceKey: string;
  jwtSecret: string;
  /** The database as its superuser (what the Supabase dashboard's SQL editor is). */
  postgresUrl: string;
  /** Creates a signed-up operator with a role and memberships (companies are created when missing). */
  createOperator(operator: { email?: string; password?: string; role: Role; companies?: string[]; displayName?: string }): Promise<TeamOperator>;
  /** Creates only the Auth account: someone who can sign in but is not in `users`. */
  createAccount(account: { id?: string; email: string; password: string }): Promise<string>;
  /** A client signed in with supabase-js's password grant, through the app's own sign-in code. */
  signIn(credentials: { email: string; password: string }): Promise<SupabaseClient>;
  /** A client with no session: the anon role. */
  anonClient(): SupabaseClient;
  /** Runs SQL as the superuser, bypassing row-level security: the ground truth for tests. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The Auth stand-in, for tests that change how long tokens live. */
  auth: AuthStandIn;
  /**
   * Takes the project off the network, as an operator's computer going offline sees it: the gateway stops and
   * connections to the project URL are refused. PostgreSQL and PostgREST keep running (and `query` works).
   */
  pause(): Promise<void>;
  /** Brings the project back on the same URL after {@link TeamStack.pause}. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startTeamStack}; tests need none. */
export interface TeamStackOptions {
  /** The gateway's port (default: a free one). */
  port?: number;
  /** The JWT secret (default: a random one). With a fixed secret the anon and service keys are the same on every start. */
  jwtSecret?: string;
}

/** When the stack's keys are issued: fixed, so that a fixed secret gives fixed keys. 2025-01-01. */
const KEYS_ISSUED_AT = 1_735_689_600;

/** Starts a team stack on loopback; a few seconds, most of it initdb. */
export async function startTeamStack(options: TeamStackOptions = {}): Promise<TeamStack> {
  const cleanup: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const server: PostgresServer = await startPostgresServer();
    cleanup.push(() => server.stop());
    const superuser = new pg.Pool({ connectionString: server.url, max: 4 });
    cleanup.push(() => superuser.end());
    await superuser.query(SUPABASE_BOOTSTRAP_SQL);
    await applyMigrations(server.url);

    const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('base64url');
    const tenYears = 10 * 365 * 24 * 3600;
    const anonKey = await signJwt({ iss: 'supabase-demo', role: 'anon' }, jwtSecret, tenYears, KEYS_ISSUED_AT);
    const serviceKey = await signJwt({ iss: 'supabase-demo', role: 'service_role' }, jwtSecret, tenYears, KEYS_ISSUED_AT);

    const authenticatorUrl = new URL(server.url);
    authenticatorUrl.username = 'authenticator';
    const postgrest: PostgrestProcess = await startPostgrest({ databaseUrl: authenticatorUrl.toString(), jwtSecret });
    cleanup.push(() => postgrest.stop());

    let publicUrl = '';
    const auth = new AuthStandIn({ pool: superuser, jwtSecret, publicUrl: () => publicUrl });
    const openGateway = (port?: number) => startGateway({ postgrestUrl: postgrest.url, auth, apiKeys: [anonKey, serviceKey], port });
    let gateway: Gateway | undefined = await openGateway(options.port);
    cleanup.push(async () => gateway?.close());
    publicUrl = gateway.url;
    const port = Number(new URL(publicUrl).port);

    const clients: SupabaseClient[] = [];
    cleanup.push(async () => clients.forEach((client) => void client.auth.stopAutoRefresh()));
    const track = (client: SupabaseClient) => (clients.push(client), client);

    return {
      url: publicUrl,
      anonKey,
      serviceKey,
      jwtSecret,
      postgresUrl: server.url,
      auth,
      createAccount: (account) => auth.createAccount(account),
      async createOperator({ role, companies = [], displayName, ...account }) {
        const email = account.email ?? `${role}-${randomUUID().slice(0, 8)}@team.triad.test`;
        const password = account.password ?? randomBytes(12).toString('base64url');
        const id = await auth.createAccount({ email, password });
        await provisionOperator(superuser, { id, email, role, companies, displayName: displayName ?? email.split('@')[0]! });
        return { id, email, password, role, companies };
      },
      async signIn(credentials) {
        const client = track(createOperatorClient({ url: publicUrl, anonKey, autoRefreshToken: false }));
        await signInOperator(client, publicUrl, credentials);
        return client;
      },
      anonClient: () => track(createOperatorClient({ url: publicUrl, anonKey, autoRefreshToken: false })),
      async pause() {
        const running = gateway;
        gateway = undefined;
        await running?.close();
      },
      async resume() {
        gateway ??= await openGateway(port);
      },
      query: async <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => (await superuser.query<T>(sql, params)).rows,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** migrations/ through the app's own migrator, as the superuser: what an admin does once per project. */
async function applyMigrations(postgresUrl: string): Promise<void> {
  const executor = await openPostgresExecutor({ connectionString: postgresUrl });
  try {
    await migrate(executor);
  } finally {
    await executor.close();
  }
}

/** The operator's row in `users` (same id as their Auth account) and their memberships. */
async function provisionOperator(
  superuser: pg.Pool,
  operator: { id: string; email: string; role: Role; companies: string[]; displayName: string },
): Promise<void> {
  await superuser.query('INSERT INTO users (id, display_name, role, email) VALUES ($1, $2, $3, $4)', [
    operator.id, operator.displayName, operator.role, operator.email,
  ]);
  for (const slug of operator.companies) {
    await superuser.query('INSERT INTO companies (slug, name) VALUES ($1, $1) ON CONFLICT (slug) DO NOTHING', [slug]);
    await superuser.query('INSERT INTO user_company_access (user_id, company_id) SELECT $1, id FROM companies WHERE slug = $2', [operator.id, slug]);
  }
}
