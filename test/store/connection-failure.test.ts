import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { redactSecrets } from '../../src-main/store/store-errors';
import { testPostgresUrl, thrownBy } from './support';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connecting to PostgreSQL', () => {
  it('reports an unreachable server as store_unavailable naming host and port, never the password', async () => {
    const port = await closedPort();
    const error = await thrownBy(() => openStore({ backend: 'postgres', connectionString: `postgres://triad:S3cret-Pa55@127.0.0.1:${port}/triad` }));
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('S3cret-Pa55');
    expect(JSON.stringify(error)).not.toContain('S3cret-Pa55');
  });

  it('reports a database that does not exist as store_unavailable naming it', async () => {
    const url = new URL(testPostgresUrl());
    url.password = 'an-unused-password';
    url.pathname = '/no_such_database';
    const error = await thrownBy(() => openStore({ backend: 'postgres', connectionString: url.toString() }));
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain('no_such_database');
    expect(error.message).not.toContain('an-unused-password');
  });

  it('redacts the password of every connection string in a message', () => {
    expect(redactSecrets('failed: postgres://app:p%40ss:word@db.example.com:5432/triad and postgresql://u:x@h/d')).toBe(
      'failed: postgres://app:***@db.example.com:5432/triad and postgresql://u:***@h/d',
    );
  });
});
