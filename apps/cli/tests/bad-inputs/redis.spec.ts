import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRedis } from '@ltlab/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/processes.js';
import { expectCodedFailure, runLtlab } from './run-ltlab.js';

/**
 * Bad Redis URLs and an unreachable Redis: every command that uses Redis answers with one coded
 * message naming REDIS_URL (or the flag) and the fix, exits 2 (a URL that cannot be right) or
 * 3 (a server that refuses or does not answer), never prints the password or a stack trace,
 * and writes no job anywhere: not in the database the URL named, not in database 0.
 */

// The server alone: the tests name their own database, whatever database REDIS_URL names.
const SHARED_REDIS = (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
const PASSWORD = 'Pa55/with@odd#chars%';
const SWEEP = fileURLToPath(new URL('../../../../configs/sweeps/fmnist-lt-small-methods.yaml', import.meta.url));

/** A free port: nothing listens there once this returns. */
describe('bad Redis URLs and an unreachable Redis', () => {
  let dir: string;
  let prefix: string;
  let shared: Awaited<ReturnType<typeof connectRedis>>;
  let secured: ChildProcess;
  let securedPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ltlab-bad-redis-'));
    prefix = `ltlab-test-bad-redis-${process.pid}-${Date.now()}`;
    shared = await connectRedis({ redisUrl: SHARED_REDIS, prefix });
    // A Redis of its own with a password holding / @ # %.
    securedPort = await freePort();
    secured = spawn(
      '/usr/bin/redis-server',
      ['--port', String(securedPort), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--requirepass', PASSWORD],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const probe = await connectRedis({
          redisUrl: `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${securedPort}`,
          prefix,
        });
        probe.disconnect();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  afterAll(async () => {
    const found = await shared.keys(`${prefix}:*`);
    if (found.length > 0) await shared.del(...found);
    shared.disconnect();
    const exited = new Promise((resolve) => secured.once('exit', resolve));
    secured.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The LTLAB_HOME of the latest case: no store may appear in it where Redis was refused first. */
  let home = '';

  function ltlab(args: readonly string[], env: Record<string, string | undefined>, timeoutMs = 30_000) {
    home = mkdtempSync(join(dir, 'home-'));
    return runLtlab(args, {
      env: {
        LTLAB_HOME: home,
        LTLAB_ARTIFACTS: join(dir, 'artifacts'),
        LTLAB_QUEUE_PREFIX: prefix,
        DATABASE_URL: undefined,
        LTLAB_REDIS_TIMEOUT_S: undefined,
        ...env,
      },
      cwd: dir,
      timeoutMs,
    });
  }

  /** Keys of this suite's prefix in a database of the shared Redis. */
  async function keysIn(db: number): Promise<string[]> {
    await shared.select(db);
    try {
      return await shared.keys(`${prefix}:*`);
    } finally {
      await shared.select(0);
    }
  }

  function noStore(): void {
    expect(readdirSync(home), 'no store was created').toEqual([]);
  }

  it('db 99 (the server has 16): sweep submit exits 3 naming the database, and writes no job to database 0', async () => {
    const result = await ltlab(['sweep', 'submit', SWEEP], {
      REDIS_URL: SHARED_REDIS.replace('://', `://:${encodeURIComponent(PASSWORD)}@`).concat('/99'),
    });
    expectCodedFailure(result, {
      exit: 3,
      code: 'QUEUE.UNAVAILABLE',
      mentions: [
        'REDIS_URL',
        'refused database 99',
        /it has \d+ \(0-\d+\)/,
        'Fix: Set REDIS_URL to a database the server has',
      ],
      never: [PASSWORD, encodeURIComponent(PASSWORD)],
    });
    expect(await keysIn(0)).toEqual([]);
    noStore();
  });

  it.each([
    ['sweep', 'cancel', 'some-sweep'],
    ['sweep', 'resume', 'some-sweep'],
  ])('db 99: %s %s exits 3 before touching the store', async (...args) => {
    const result = await ltlab(args, { REDIS_URL: `${SHARED_REDIS}/99` });
    expectCodedFailure(result, { exit: 3, code: 'QUEUE.UNAVAILABLE', mentions: ['REDIS_URL', 'database 99'] });
    noStore();
  });

  it('db 99: worker exits 3 at once (a refused database does not fix itself), not after its Redis timeout', async () => {
    const result = await ltlab(['worker', '--slots', '1', '--redis-timeout', '60'], {
      REDIS_URL: `${SHARED_REDIS}/99`,
    });
    expectCodedFailure(result, { exit: 3, code: 'QUEUE.UNAVAILABLE', mentions: ['REDIS_URL', 'database 99'] });
    expect(result.elapsedMs).toBeLessThan(20_000);
    expect(await keysIn(0)).toEqual([]);
  });

  it.each([['serve'], ['up']])('db 99: %s exits 3', async (command) => {
    const args = command === 'up' ? ['up', '--slots', '1', '--port', '0'] : ['serve', '--port', '0'];
    const result = await ltlab(args, { REDIS_URL: `${SHARED_REDIS}/99` });
    expectCodedFailure(result, { exit: 3, code: 'QUEUE.UNAVAILABLE', mentions: ['REDIS_URL', 'database 99'] });
    expect(await keysIn(0)).toEqual([]);
  });

  it('wrong password: exits 3 saying the server refused it, never printing either password', async () => {
    const result = await ltlab(['sweep', 'submit', SWEEP], {
      REDIS_URL: `redis://:not-the-one@127.0.0.1:${securedPort}`,
    });
    expectCodedFailure(result, {
      exit: 3,
      code: 'QUEUE.UNAVAILABLE',
      mentions: ['refused the password of REDIS_URL', 'redis://:***@127.0.0.1', 'percent-encoded'],
      never: ['not-the-one', PASSWORD],
    });
    noStore();
  });

  it('no password for a server that needs one: exits 3 saying so', async () => {
    const result = await ltlab(['sweep', 'cancel', 'x'], { REDIS_URL: `redis://127.0.0.1:${securedPort}` });
    expectCodedFailure(result, {
      exit: 3,
      code: 'QUEUE.UNAVAILABLE',
      mentions: ['requires a password and REDIS_URL has none'],
    });
  });

  it("password with '/' (unencoded): exits 2 asking to percent-encode it, never printing it", async () => {
    const result = await ltlab(['sweep', 'submit', SWEEP], {
      REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${securedPort}`,
    });
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: ['REDIS_URL', 'Percent-encode the password', '/ as %2F'],
      never: [PASSWORD, 'Pa55'],
    });
    noStore();
  });

  it("password with '/' percent-encoded: works", async () => {
    const result = await ltlab(['sweep', 'submit', SWEEP, '--json'], {
      REDIS_URL: `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${securedPort}/3`,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sweepId: expect.stringMatching(/^fmnist-lt-small-methods-/) });
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  });

  it.each([
    ['a bad scheme', 'http://:hunter2@127.0.0.1:6379', "has the scheme 'http:'"],
    ['an unparsable URL', 'redis://:hunter2@my host:6379', 'is not a valid URL'],
    ['a port out of range', 'redis://:hunter2@127.0.0.1:70000', 'has port 70000; a port is 1-65535'],
    ['a port that is no number', 'redis://:hunter2@127.0.0.1:six', "has the port 'six'"],
    ['a database that is no number', 'redis://:hunter2@127.0.0.1:6379/db1', "has the path '/db1'"],
    ['host:port without a scheme', '127.0.0.1:6379', 'is host:port, not a URL'],
  ])('%s: exits 2 naming REDIS_URL, never printing the password', async (_what, url, mention) => {
    const result = await ltlab(['sweep', 'submit', SWEEP], { REDIS_URL: url });
    expectCodedFailure(result, {
      exit: 2,
      code: 'CONFIG.INVALID',
      mentions: ['REDIS_URL', mention],
      never: ['hunter2'],
    });
    noStore();
  });

  it('worker with Redis down: one status line per try, then exits 3 within its bound', async () => {
    const port = await freePort();
    const result = await ltlab(['worker', '--slots', '1', '--redis-timeout', '3'], {
      REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`,
    });
    expectCodedFailure(result, {
      exit: 3,
      code: 'QUEUE.UNAVAILABLE',
      mentions: ['did not answer for 3.0 s', 'REDIS_URL', '--redis-timeout'],
      never: ['hunter2'],
    });
    const status = result.stderr.split('\n').filter((line) => line.includes('redis: cannot reach'));
    expect(status.length).toBeGreaterThanOrEqual(2);
    for (const line of status)
      expect(line).toMatch(/^\[worker\] redis: cannot reach redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: nothing listens there/);
    expect(result.stderr).not.toContain('ioredis');
    // The bound, plus the CLI's start-up on a busy machine.
    expect(result.elapsedMs).toBeLessThan(3_000 + 12_000);
  });

  it('LTLAB_REDIS_TIMEOUT_S that is no number: exits 2 naming it', async () => {
    const result = await ltlab(['worker', '--slots', '1'], { LTLAB_REDIS_TIMEOUT_S: 'soon' });
    expectCodedFailure(result, { exit: 2, code: 'CONFIG.INVALID', mentions: ['LTLAB_REDIS_TIMEOUT_S'] });
  });
});
