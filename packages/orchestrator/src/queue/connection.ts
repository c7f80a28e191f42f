import { LtlabError } from '@ltlab/core';
import { Redis, type RedisOptions } from 'ioredis';

export interface QueueSettings {
  /** `redis://[:password@]host:port[/db]` or `rediss://` for TLS. */
  redisUrl: string;
  /** Key prefix of every queue, so several ltlab installations can share one Redis. */
  prefix: string;
}

export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `REDIS_URL '${redisUrl.replace(/:[^:@/]*@/, ':***@')}' must start with redis:// or rediss://.`,
      {
        fix: 'Set REDIS_URL=redis://127.0.0.1:6379 (or rediss://:password@host:6380 for TLS).',
      },
    );
  }
  return { redisUrl, prefix: env.LTLAB_QUEUE_PREFIX ?? 'ltlab' };
}

/**
 * A Redis connection for BullMQ. Workers block on Redis, so `maxRetriesPerRequest` must be null;
 * producers fail fast instead (`failFast`), so a CLI command does not hang on a dead Redis.
 */
export function createRedis(settings: QueueSettings, failFast = false): Redis {
  const options: RedisOptions = failFast
    ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true }
    : { maxRetriesPerRequest: null };
  return new Redis(settings.redisUrl, options);
}

/** Connects a fail-fast client, turning a refusal into QUEUE.UNAVAILABLE. */
export async function connectRedis(settings: QueueSettings): Promise<Redis> {
  const redis = createRedis(settings, true);
  try {
    await redis.connect();
    await redis.ping();
  } catch (cause) {
    redis.disconnect();
    throw new LtlabError(
      'QUEUE.UNAVAILABLE',
      `Cannot reach Redis at ${settings.redisUrl.replace(/:[^:@/]*@/, ':***@')}.`,
      {
        fix: 'Start Redis (redis-server --daemonize yes) or set REDIS_URL.',
        cause,
      },
    );
  }
  return redis;
}

export const RUNS_QUEUE = 'runs';
export const EVENTS_QUEUE = 'events';
