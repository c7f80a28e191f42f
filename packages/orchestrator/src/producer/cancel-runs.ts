import { keys } from '../queue/run-queue.js';
import type { ProducerContext } from './submit-sweep.js';

/**
 * Cancels runs: the store marks them cancelled, waiting jobs leave the queue, and workers
 * running one are told through Redis to stop its trainer.
 */
export async function cancelRuns(ctx: ProducerContext, runIds: readonly string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const cancelled = await ctx.store.cancelRuns(runIds, new Date());
  const prefix = ctx.settings.prefix;
  const pipeline = ctx.redis.pipeline();
  for (const id of runIds) pipeline.set(keys.cancelled(prefix, id), '1', 'EX', 7 * 24 * 3600);
  await pipeline.exec();
  for (const id of runIds) {
    const job = await ctx.runs.getJob(id);
    const state = await job?.getState();
    if (job !== undefined && (state === 'waiting' || state === 'delayed' || state === 'prioritized'))
      await job.remove();
    await ctx.redis.publish(keys.cancelChannel(prefix), id);
  }
  return cancelled;
}
