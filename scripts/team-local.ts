/**
 * `npm run team:local`: a local Supabase stand-in for developing team mode, without Docker: PostgreSQL with
 * migrations/ applied, the real PostgREST, and the TEST-ONLY Auth stand-in, behind a gateway on
 * http://127.0.0.1:54321 (Supabase CLI's port; TRIAD_TEAM_PORT to change it). The JWT secret is fixed, so the
 * anon key is the same on every start; the data lives until the stack stops (Ctrl+C).
 */
import { startTeamStack, type TeamOperator } from '../test/support/team-stack/team-stack';

/** Development only: signs the anon key and the access tokens of a stack that listens on loopback alone. */
const DEV_JWT_SECRET = 'triad-team-local-jwt-secret-for-development-only';
const port = Number(process.env.TRIAD_TEAM_PORT ?? 54321);

const stack = await startTeamStack({ port, jwtSecret: DEV_JWT_SECRET });
const operators: TeamOperator[] = [
  await stack.createOperator({ role: 'admin', email: 'admin@triad.local', password: 'triad-admin', companies: ['acme', 'globex'], displayName: 'Ada Admin' }),
  await stack.createOperator({ role: 'ml_lead', email: 'lead@triad.local', password: 'triad-lead', companies: ['acme'], displayName: 'Lee Lead' }),
  await stack.createOperator({ role: 'analyst', email: 'analyst@triad.local', password: 'triad-analyst', companies: ['acme'], displayName: 'Ana Analyst' }),
];
await stack.query(
  `INSERT INTO company_knowledge (company_id, title, content)
   SELECT id, 'About Acme', 'Acme sells anvils; revenue grew 8% last quarter.' FROM companies WHERE slug = 'acme'`,
);

console.log(`Triad team stack (local stand-in for a Supabase project) is running.

  Project URL   ${stack.url}
  anon key      ${stack.anonKey}
  database      ${stack.postgresUrl}   (superuser; psql works)

Point the app at it: Settings → Team → Supabase, with the project URL and anon key above, then sign in as
${operators.map((o) => `  ${o.role.padEnd(8)} ${o.email.padEnd(22)} password ${o.password}   companies: ${o.companies.join(', ')}`).join('\n')}

Rows written by the app land in the database under the signed-in operator's id, e.g.
  psql "${stack.postgresUrl}" -c 'SELECT user_id, tier, status, created_at FROM llm_requests ORDER BY created_at DESC LIMIT 5'

Ctrl+C stops it and deletes its data.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
}
