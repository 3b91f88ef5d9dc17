import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The superuser URL of the throwaway PostgreSQL server started by the global setup. */
export function testPostgresUrl(): string {
  const url = process.env.TRIAD_TEST_POSTGRES_URL;
  if (!url) throw new Error('TRIAD_TEST_POSTGRES_URL is not set: run the tests through vitest (test/setup/global-setup.ts)');
  return url;
}

/** A database of its own on the test server, so test files running in parallel never share tables. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function asSuperuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `triad_test_<random>` and returns its URL. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `triad_test_${randomUUID().replaceAll('-', '')}`;
  await asSuperuser((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => asSuperuser((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
