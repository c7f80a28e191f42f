import { LtlabError } from '@ltlab/core';
import type { Redis } from 'ioredis';
import { seconds } from './wait-for-redis.js';

export interface RedisOutageOptions {
  /** The redacted URL, for the status lines. */
  display: string;
  /** How long Redis may stay away before `onGiveUp`. */
  timeoutMs: number;
  /** One line when the connection drops, one per reconnection attempt, one when it is back. */
  log: (line: string) => void;
  /** Called once, with a coded QUEUE.UNAVAILABLE, when Redis stayed away for `timeoutMs`. */
  onGiveUp: (error: LtlabError) => void;
  /** How often the bound is checked (default 1 s). */
  checkEveryMs?: number;
}

/**
 * Watches one client that reconnects by itself (a `blocking` one): says in one line per attempt
 * that Redis is away and for how long, and gives up after a bound instead of waiting for ever.
 */
export class RedisOutageWatch {
  readonly #options: RedisOutageOptions;
  readonly #redis: Redis;
  readonly #timer: NodeJS.Timeout;
  #downSince: number | null = null;
  #attempts = 0;
  #reason = 'connection lost';
  #gaveUp = false;

  constructor(redis: Redis, options: RedisOutageOptions) {
    this.#redis = redis;
    this.#options = options;
    redis.on('close', this.#onClose);
    redis.on('reconnecting', this.#onReconnecting);
    redis.on('ready', this.#onReady);
    this.#timer = setInterval(() => this.#check(), options.checkEveryMs ?? 1_000);
    this.#timer.unref();
  }

  /** Since when Redis has been away (ms since the epoch), or null while connected. */
  get downSince(): number | null {
    return this.#downSince;
  }

  /** The latest error of the client, shown in the next status line. */
  noteError(message: string): void {
    this.#reason = message;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#redis.off('close', this.#onClose);
    this.#redis.off('reconnecting', this.#onReconnecting);
    this.#redis.off('ready', this.#onReady);
  }

  readonly #onClose = (): void => {
    if (this.#downSince !== null || this.#gaveUp) return;
    this.#downSince = Date.now();
    this.#attempts = 0;
    this.#options.log(
      `redis: lost the connection to ${this.#options.display}; reconnecting (giving up after ${seconds(this.#options.timeoutMs)}).`,
    );
  };

  readonly #onReconnecting = (delayMs: number): void => {
    if (this.#downSince === null || this.#gaveUp) return;
    this.#attempts += 1;
    const away = Date.now() - this.#downSince;
    this.#options.log(
      `redis: ${this.#options.display} away for ${seconds(away)}: ${this.#reason}; attempt ${this.#attempts} in ${seconds(delayMs)}, giving up in ${seconds(Math.max(0, this.#options.timeoutMs - away))}.`,
    );
  };

  readonly #onReady = (): void => {
    if (this.#downSince === null) return;
    this.#options.log(`redis: ${this.#options.display} is back after ${seconds(Date.now() - this.#downSince)}.`);
    this.#downSince = null;
  };

  #check(): void {
    if (this.#downSince === null || this.#gaveUp) return;
    const away = Date.now() - this.#downSince;
    if (away < this.#options.timeoutMs) return;
    this.#gaveUp = true;
    this.stop();
    this.#options.onGiveUp(
      new LtlabError(
        'QUEUE.UNAVAILABLE',
        `Redis at ${this.#options.display} has been unreachable for ${seconds(away)} (${this.#reason}); the worker gives up.`,
        {
          fix: 'Start Redis again. Runs this worker held return to the queue once their locks lapse (ltlab serve requeues them); raise --redis-timeout (LTLAB_REDIS_TIMEOUT_S) to wait longer.',
          details: { field: 'REDIS_URL' },
        },
      ),
    );
  }
}
