import { ashaStops, medianRuleStops } from '@ltlab/metrics';
import type { Redis } from 'ioredis';
import { keys } from '../queue/run-queue.js';
import type { EarlyStopping } from '../sweep/sweep-spec.js';

export interface StopDecision {
  stop: boolean;
  reason: string;
}

/**
 * Sweep-wide state that workers on any node share through Redis: each run's objective per
 * epoch (for early stopping) and the runs currently training (for maxConcurrency). Entries of
 * the running set expire unless their worker renews them, so a killed worker frees its place.
 */
export class SweepGuard {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #seriesKey(sweepId: string): string {
    return keys.objective(this.#prefix, sweepId);
  }

  #activeKey(sweepId: string): string {
    return keys.sweepActive(this.#prefix, sweepId);
  }

  /**
   * Takes a place for `runId` if fewer than `limit` runs of the sweep are training; the place
   * lasts `ttlMs` unless renewed.
   */
  async acquire(sweepId: string, runId: string, limit: number, ttlMs: number, now = Date.now()): Promise<boolean> {
    const key = this.#activeKey(sweepId);
    await this.#redis.zremrangebyscore(key, '-inf', now);
    await this.#redis.zadd(key, now + ttlMs, runId);
    const rank = await this.#redis.zrank(key, runId);
    const count = await this.#redis.zcard(key);
    if (count <= limit || (rank !== null && rank < limit)) return true;
    await this.#redis.zrem(key, runId);
    return false;
  }

  async renew(sweepId: string, runId: string, ttlMs: number, now = Date.now()): Promise<void> {
    await this.#redis.zadd(this.#activeKey(sweepId), now + ttlMs, runId);
  }

  async release(sweepId: string, runId: string): Promise<void> {
    await this.#redis.zrem(this.#activeKey(sweepId), runId);
  }

  /** Records a run's objective at an epoch (1-based, as events count) and applies the sweep's rule to it. */
  async report(
    sweepId: string,
    runId: string,
    epoch: number,
    value: number,
    rule: EarlyStopping,
    mode: 'max' | 'min',
  ): Promise<StopDecision> {
    const key = this.#seriesKey(sweepId);
    await this.#redis.hset(key, `${runId}|${epoch}`, String(value));
    const all = await this.#redis.hgetall(key);
    const series = new Map<string, Map<number, number>>();
    for (const [field, raw] of Object.entries(all)) {
      const cut = field.lastIndexOf('|');
      const id = field.slice(0, cut);
      const map = series.get(id) ?? new Map<number, number>();
      map.set(Number(field.slice(cut + 1)), Number(raw));
      series.set(id, map);
    }
    const own = series.get(runId) ?? new Map<number, number>();
    const others = [...series.entries()].filter(([id]) => id !== runId).map(([, map]) => map);
    // Rules count epochs from 1, as events do: epoch 3 is the third, after 3 completed.
    if (rule.rule === 'median') {
      const stop = medianRuleStops({
        epoch,
        own,
        others,
        mode,
        minEpochs: rule.minEpochs,
        minRuns: rule.minRuns,
      });
      return {
        stop,
        reason: stop ? `median rule at epoch ${epoch}: ${value.toFixed(4)} is worse than the other runs' median` : '',
      };
    }
    const rungValues = others.flatMap((map) => (map.has(epoch) ? [map.get(epoch) as number] : []));
    const stop = ashaStops({
      epoch,
      value,
      rungValues,
      mode,
      gracePeriod: rule.gracePeriod,
      reductionFactor: rule.reductionFactor,
    });
    return {
      stop,
      reason: stop
        ? `ASHA rung at epoch ${epoch}: ${value.toFixed(4)} is not in the top 1/${rule.reductionFactor}`
        : '',
    };
  }
}
