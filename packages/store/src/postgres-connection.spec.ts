import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from './database-url.js';
import { connectTimeoutSeconds, DEFAULT_CONNECT_TIMEOUT_S, probePostgres } from './postgres-connection.js';
import { testPostgresUrl } from './testing/temporary-database.js';

const pg = (url: string): DatabaseTarget => ({ provider: 'postgresql', url, setting: 'DATABASE_URL' });

/** The test server's URL with another user, password, port or database. */
function variant(change: (url: URL) => void): string {
  const url = new URL(testPostgresUrl());
  change(url);
  return url.toString();
}

describe('connectTimeoutSeconds', () => {
  it('reads connect_timeout (seconds) from the URL, else bounds the wait by the default', () => {
    expect(connectTimeoutSeconds(pg('postgresql://h/db?connect_timeout=3'))).toBe(3);
    expect(connectTimeoutSeconds(pg('postgresql://h/db'))).toBe(DEFAULT_CONNECT_TIMEOUT_S);
    // libpq reads 0 as "wait forever": a store must not hang, so 0 gets the default too.
    expect(connectTimeoutSeconds(pg('postgresql://h/db?connect_timeout=0'))).toBe(DEFAULT_CONNECT_TIMEOUT_S);
  });
});

describe('probePostgres', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers: without a bound the driver would wait forever.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    silent.close();
  });

  it('passes for the test server', async () => {
    await probePostgres(pg(testPostgresUrl()));
  });

  it('names a database that does not exist, with the fix, as CONFIG.INVALID', async () => {
    const url = variant((u) => {
      u.password = 'secret-pw';
      u.pathname = '/ltlab_no_such_database';
    });
    const error = await probePostgres(pg(url)).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; fix: string },
    );
    expect(error).toMatchObject({ code: 'CONFIG.INVALID' });
    expect(error?.message).toContain("the database 'ltlab_no_such_database' does not exist");
    expect(error?.fix).toContain('createdb');
    expect(`${error?.message}${error?.fix}`).not.toContain('secret-pw');
  });

  it('reports a refused login as CONFIG.INVALID without the password', async () => {
    const url = variant((u) => {
      u.username = 'ltlab_no_such_role';
      u.password = 'secret-pw';
    });
    const error = await probePostgres(pg(url)).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error).toMatchObject({ code: 'CONFIG.INVALID' });
    expect(error?.message).toContain("DATABASE_URL 'postgresql://ltlab_no_such_role:***@");
    expect(error?.message).toContain('refused the login');
    expect(error?.message).not.toContain('secret-pw');
  });

  it('reports a port where nothing listens as STORE.UNAVAILABLE at once', async () => {
    const started = Date.now();
    await expect(probePostgres(pg('postgresql://u:secret-pw@127.0.0.1:1/db'))).rejects.toMatchObject({
      code: 'STORE.UNAVAILABLE',
      message: expect.stringContaining('cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a host name that does not resolve as STORE.UNAVAILABLE', async () => {
    await expect(probePostgres(pg('postgresql://u:secret-pw@no-such-host.invalid/db'))).rejects.toMatchObject({
      code: 'STORE.UNAVAILABLE',
      message: expect.stringContaining('cannot reach PostgreSQL at no-such-host.invalid:5432'),
    });
  });

  it('gives up on a server that never answers after connect_timeout', async () => {
    const started = Date.now();
    await expect(
      probePostgres(pg(`postgresql://u:secret-pw@127.0.0.1:${silentPort}/db?connect_timeout=1`)),
    ).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE', message: expect.stringContaining('no answer within 1 s') });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
