import { LtlabError } from '@ltlab/core';
import { Redis, type RedisOptions } from 'ioredis';
import { describeRedisFailure } from './redis-failure.js';
import { parseRedisUrl } from './redis-url.js';

export interface QueueSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS (see parseRedisUrl). */
  redisUrl: string;
  /** Key prefix of every queue, so several ltlab installations can share one Redis. */
  prefix: string;
}

/** REDIS_URL and LTLAB_QUEUE_PREFIX, checked before anything connects. */
export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  parseRedisUrl(redisUrl);
  const prefix = env.LTLAB_QUEUE_PREFIX ?? 'ltlab';
  if (prefix.trim() === '') {
    throw new LtlabError('CONFIG.INVALID', 'LTLAB_QUEUE_PREFIX is set but empty.', {
      fix: 'Unset LTLAB_QUEUE_PREFIX (the default is ltlab) or give it a name such as ltlab-lab2.',
      details: { field: 'LTLAB_QUEUE_PREFIX' },
    });
  }
  return { redisUrl, prefix };
}

/**
 * How a client behaves while Redis is away:
 * - `probe`: one try, no reconnection, commands fail at once (CLI commands, start-up checks);
 * - `blocking`: reconnects for ever and commands wait for it (BullMQ workers, worker state);
 * - `publisher`: reconnects for ever but commands fail at once, so the caller (the event outbox)
 *   decides how to wait, in what order and for how long.
 */
export type RedisRole = 'probe' | 'blocking' | 'publisher';

export interface RedisClientOptions {
  role?: RedisRole;
  /**
   * Each connection error, classified: a refused setup (database, password, TLS) is not
   * retryable, an unreachable server is. Errors are never printed here (ioredis would print
   * each with its stack); whoever needs them says so through this callback.
   */
  onError?: (failure: LtlabError) => void;
  /** How long one connection attempt may take (default 10 s). */
  connectTimeoutMs?: number;
}

/** The longest pause between two reconnection attempts. */
export const RECONNECT_MAX_DELAY_MS = 10_000;

/** Backoff between reconnection attempts: 0.5 s, 1 s, 2 s ... capped at RECONNECT_MAX_DELAY_MS. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), RECONNECT_MAX_DELAY_MS);
}

/**
 * The one place every Redis client of ltlab is made (BullMQ duplicates these for its blocking
 * connections, keeping their options). ioredis gets options, never the URL: the URL was parsed
 * and checked by parseRedisUrl, and ioredis's own parsing would let a bad one through.
 */
export function createRedis(settings: QueueSettings, options: RedisClientOptions = {}): Redis {
  const target = parseRedisUrl(settings.redisUrl);
  const role = options.role ?? 'blocking';
  const connection: RedisOptions = {
    host: target.host,
    port: target.port,
    db: target.db,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.family === undefined ? {} : { family: target.family }),
    ...(target.tls ? { tls: {} } : {}),
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    probe: { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true },
    // BullMQ requires maxRetriesPerRequest null on the connections its workers block on.
    blocking: { maxRetriesPerRequest: null, retryStrategy: reconnectDelayMs },
    publisher: { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: reconnectDelayMs },
  };
  const redis = new Redis({ ...connection, ...byRole[role] });
  redis.on('error', (error: unknown) => options.onError?.(describeRedisFailure(error, target)));
  return redis;
}

/**
 * Connects a fail-fast client and proves the connection is what REDIS_URL asks for: ioredis
 * reports a refused AUTH or SELECT only as an 'error' event and then carries on, on database 0
 * (a refused SELECT) or not at all (AUTH), so this runs SELECT itself. Any failure is a coded
 * QUEUE.UNAVAILABLE (exit 3): retryable when the server is unreachable, not when it refused.
 */
export async function connectRedis(
  settings: QueueSettings,
  options: Pick<RedisClientOptions, 'connectTimeoutMs'> = {},
): Promise<Redis> {
  const target = parseRedisUrl(settings.redisUrl);
  const failures: LtlabError[] = [];
  const redis = createRedis(settings, { ...options, role: 'probe', onError: (failure) => failures.push(failure) });
  try {
    await redis.connect();
    try {
      await redis.select(target.db);
    } catch (cause) {
      throw describeRedisFailure(cause, target, await serverDatabases(redis));
    }
  } catch (cause) {
    redis.disconnect();
    // A refusal (wrong password, missing database) says more than the "Connection is closed" after it.
    if (cause instanceof LtlabError && !cause.retryable) throw cause;
    throw failures.find((failure) => !failure.retryable) ?? failures.at(-1) ?? describeRedisFailure(cause, target);
  }
  return redis;
}

/** The server's `databases` setting, for the message of a refused SELECT (null where CONFIG is off). */
async function serverDatabases(redis: Redis): Promise<number | null> {
  try {
    const reply = (await redis.config('GET', 'databases')) as unknown;
    const value = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

export const RUNS_QUEUE = 'runs';
export const EVENTS_QUEUE = 'events';
