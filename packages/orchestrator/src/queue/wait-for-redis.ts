import { LtlabError, toLtlabError } from '@ltlab/core';
import type { Redis } from 'ioredis';
import { connectRedis, type QueueSettings, reconnectDelayMs } from './connection.js';
import { shortReason } from './redis-failure.js';
import { parseRedisUrl } from './redis-url.js';

/** How long a worker waits for an unreachable Redis, at start-up and later, unless told otherwise. */
export const DEFAULT_REDIS_TIMEOUT_MS = 180_000;

export interface WaitForRedisOptions {
  /** Give up (QUEUE.UNAVAILABLE) once Redis has not answered for this long. */
  timeoutMs: number;
  /** One line per failed attempt: what failed, when the next try is, when it gives up. */
  log: (line: string) => void;
}

/**
 * Connects like connectRedis, retrying an unreachable server with capped backoff until
 * `timeoutMs` has passed. A server that refuses the setup (database, password, TLS) fails at
 * once: waiting does not fix it.
 */
export async function waitForRedis(settings: QueueSettings, options: WaitForRedisOptions): Promise<Redis> {
  const display = parseRedisUrl(settings.redisUrl).display;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const left = options.timeoutMs - (Date.now() - started);
    try {
      return await connectRedis(settings, { connectTimeoutMs: Math.max(1_000, Math.min(10_000, left)) });
    } catch (error) {
      const failure = toLtlabError(error, 'QUEUE.UNAVAILABLE');
      if (!failure.retryable) throw failure;
      const remaining = options.timeoutMs - (Date.now() - started);
      if (remaining <= 0) {
        throw new LtlabError(
          'QUEUE.UNAVAILABLE',
          `Redis at ${display} did not answer for ${seconds(options.timeoutMs)} (${attempt} attempts): ${failure.message}`,
          {
            fix: `${failure.fix ?? 'Start Redis or point REDIS_URL at it.'} To wait longer, raise --redis-timeout (LTLAB_REDIS_TIMEOUT_S).`,
            cause: failure,
            details: { field: 'REDIS_URL', attempts: attempt },
          },
        );
      }
      const delay = Math.min(reconnectDelayMs(attempt), remaining);
      options.log(
        `redis: cannot reach ${display}: ${shortReason(failure)}; attempt ${attempt}, next in ${seconds(delay)}, giving up in ${seconds(remaining)}.`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
