import { afterAll } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { createTestDatabase, type TestDatabase } from '../store/support';
import { describeReviewContract } from './review-contract';

let database: TestDatabase | undefined;

describeReviewContract('PostgreSQL 15', async () => {
  database = await createTestDatabase();
  return openStore({ backend: 'postgres', connectionString: database.url });
});

// Registered after the contract's own afterAll, so the store is closed before its database is dropped.
afterAll(async () => {
  await database?.drop();
});
