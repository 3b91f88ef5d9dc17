import { afterAll } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { describeEvaluationStoreContract } from '../evaluation/evaluation-store-contract';
import { createTestDatabase, type TestDatabase } from './support';

let database: TestDatabase | undefined;

describeEvaluationStoreContract('PGlite (in memory)', () => openStore({ backend: 'pglite' }));

describeEvaluationStoreContract('PostgreSQL 15', async () => {
  database = await createTestDatabase();
  return openStore({ backend: 'postgres', connectionString: database.url });
});

// Registered after the contracts' own afterAll, so the store is closed before its database is dropped.
afterAll(async () => {
  await database?.drop();
});
