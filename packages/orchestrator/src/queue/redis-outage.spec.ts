import type { LtlabError } from '@ltlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../../tests/redis-server.js';
import { createRedis } from './connection.js';
import { RedisOutageWatch } from './redis-outage.js';

describe('RedisOutageWatch', () => {
  let server: TestRedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  async function watched(timeoutMs: number) {
    const lines: string[] = [];
    const gaveUp: LtlabError[] = [];
    const redis = createRedis({ redisUrl: server.url, prefix: 'x' }, { role: 'blocking' });
    await new Promise((resolve) => redis.once('ready', resolve));
    const watch = new RedisOutageWatch(redis, {
      display: server.url,
      timeoutMs,
      log: (line) => lines.push(line),
      onGiveUp: (error) => gaveUp.push(error),
      checkEveryMs: 100,
    });
    return { redis, watch, lines, gaveUp };
  }

  it('reports each reconnection attempt in one line and says when Redis is back', async () => {
    const { redis, watch, lines, gaveUp } = await watched(30_000);
    try {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_800));
      expect(watch.downSince).not.toBeNull();
      await server.start();
      await new Promise((resolve) => redis.once('ready', resolve));
      expect(lines[0]).toMatch(/^redis: lost the connection to redis:\/\/127\.0\.0\.1:\d+; reconnecting/);
      expect(lines.filter((line) => /attempt \d+ in/.test(line)).length).toBeGreaterThanOrEqual(2);
      expect(lines.at(-1)).toMatch(/is back after/);
      expect(watch.downSince).toBeNull();
      expect(gaveUp).toEqual([]);
    } finally {
      watch.stop();
      redis.disconnect();
    }
  });

  it('gives up with QUEUE.UNAVAILABLE once Redis stayed away past the bound', async () => {
    const { redis, watch, gaveUp } = await watched(1_500);
    try {
      const started = Date.now();
      await server.stop();
      while (gaveUp.length === 0 && Date.now() - started < 8_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(gaveUp).toHaveLength(1);
      expect(gaveUp[0]).toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
      expect(gaveUp[0]?.fix).toContain('--redis-timeout');
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      watch.stop();
      redis.disconnect();
      await server.start();
    }
  });
});
