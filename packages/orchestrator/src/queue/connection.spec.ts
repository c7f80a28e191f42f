import { LtlabError } from '@ltlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, type TestRedisServer } from '../../tests/redis-server.js';
import { connectRedis, createRedis, type QueueSettings, queueSettingsFromEnv } from './connection.js';

// The server alone: the tests name their own database, whatever database REDIS_URL names.
const SHARED = (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
const PASSWORD = 'pa/ss@w#rd%1';

async function refusal(settings: QueueSettings): Promise<LtlabError> {
  try {
    const redis = await connectRedis(settings, { connectTimeoutMs: 1_500 });
    redis.disconnect();
  } catch (error) {
    expect(error).toBeInstanceOf(LtlabError);
    return error as LtlabError;
  }
  throw new Error(`${settings.redisUrl} connected`);
}

describe('connectRedis', () => {
  let secured: TestRedisServer;
  const prefix = `ltlab-test-connection-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    secured = await startRedisServer(['--requirepass', PASSWORD]);
  });
  afterAll(async () => {
    await secured.dispose();
  });

  it('refuses a database the server does not have, instead of carrying on in database 0', async () => {
    const error = await refusal({ redisUrl: `${SHARED}/99`, prefix });
    expect(error).toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: false });
    expect(error.message).toContain('refused database 99 of REDIS_URL');
    expect(error.message).toMatch(/it has \d+ \(0-\d+\)/);
    expect(error.fix).toContain('/0');
  });

  it('connects to the database the URL names', async () => {
    const redis = await connectRedis({ redisUrl: `${SHARED}/1`, prefix });
    try {
      const info = await redis.client('INFO');
      expect(String(info)).toMatch(/ db=1 /);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses a wrong password and a missing one, never showing the password', async () => {
    const wrong = await refusal({ redisUrl: `redis://:not-it@127.0.0.1:${secured.port}`, prefix });
    expect(wrong).toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: false });
    expect(wrong.message).toContain('refused the password of REDIS_URL');
    expect(wrong.describe()).not.toContain('not-it');
    const missing = await refusal({ redisUrl: secured.url, prefix });
    expect(missing.message).toContain('requires a password and REDIS_URL has none');
  });

  it('takes a password holding / @ # % when it is percent-encoded', async () => {
    const redis = await connectRedis({
      redisUrl: `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${secured.port}/2`,
      prefix,
    });
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('calls an unreachable server retryable, with the reason in a few words', async () => {
    const port = await freePort();
    const error = await refusal({ redisUrl: `redis://:secret@127.0.0.1:${port}`, prefix });
    expect(error).toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: true });
    expect(error.message).toContain('nothing listens there');
    expect(error.details?.reason).toMatch(/ECONNREFUSED/);
    expect(error.describe()).not.toContain('secret');
  });

  it('says a TLS URL to a plain port may be why a connection times out', async () => {
    const error = await refusal({ redisUrl: SHARED.replace(/^redis:/, 'rediss:'), prefix });
    expect(error.code).toBe('QUEUE.UNAVAILABLE');
    expect(error.message).toMatch(/rediss:\/\/ URL to a plain Redis port|TLS/);
  });
});

describe('createRedis', () => {
  it('reports connection errors to onError, classified, instead of printing stacks', async () => {
    const port = await freePort();
    const failures: LtlabError[] = [];
    const redis = createRedis(
      { redisUrl: `redis://127.0.0.1:${port}`, prefix: 'x' },
      { role: 'blocking', onError: (failure) => failures.push(failure) },
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    redis.disconnect();
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({ code: 'QUEUE.UNAVAILABLE', retryable: true });
  });
});

describe('queueSettingsFromEnv', () => {
  it('checks REDIS_URL and LTLAB_QUEUE_PREFIX before anything connects', () => {
    expect(queueSettingsFromEnv({})).toEqual({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'ltlab' });
    expect(() => queueSettingsFromEnv({ REDIS_URL: 'redis://:pw@h:99999' })).toThrow(/port 99999/);
    expect(() => queueSettingsFromEnv({ LTLAB_QUEUE_PREFIX: '' })).toThrow(/LTLAB_QUEUE_PREFIX/);
  });
});
