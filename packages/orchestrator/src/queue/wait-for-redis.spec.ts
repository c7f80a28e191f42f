import { LtlabError } from '@ltlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, type TestRedisServer } from '../../tests/redis-server.js';
import { waitForRedis } from './wait-for-redis.js';

describe('waitForRedis', () => {
  let late: TestRedisServer;

  beforeAll(async () => {
    late = await startRedisServer();
  });
  afterAll(async () => {
    await late.dispose();
  });

  it('retries an unreachable Redis with one status line per try, then gives up coded within its bound', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const started = Date.now();
    const error = await waitForRedis(
      { redisUrl: `redis://:secret@127.0.0.1:${port}`, prefix: 'x' },
      { timeoutMs: 2_500, log: (line) => lines.push(line) },
    ).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(LtlabError);
    expect(error).toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
    expect((error as LtlabError).message).toMatch(/did not answer for 2\.5 s \(\d+ attempts\)/);
    expect((error as LtlabError).fix).toContain('--redis-timeout');
    expect(elapsed).toBeGreaterThanOrEqual(2_400);
    expect(elapsed).toBeLessThan(6_000);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(
        /^redis: cannot reach redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: nothing listens there .*; attempt \d+, next in/,
      );
      expect(line).not.toContain('\n');
      expect(line).not.toContain('secret');
    }
  });

  it('fails at once when the server refuses the setup', async () => {
    const lines: string[] = [];
    const started = Date.now();
    await expect(
      waitForRedis(
        { redisUrl: `${late.url}/999`, prefix: 'x' },
        { timeoutMs: 30_000, log: (line) => lines.push(line) },
      ),
    ).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: false });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual([]);
  });

  it('connects once Redis comes up within the bound', async () => {
    await late.stop();
    const lines: string[] = [];
    const waiting = waitForRedis(
      { redisUrl: late.url, prefix: 'x' },
      { timeoutMs: 20_000, log: (line) => lines.push(line) },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await late.start();
    const redis = await waiting;
    try {
      expect(await redis.ping()).toBe('PONG');
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
