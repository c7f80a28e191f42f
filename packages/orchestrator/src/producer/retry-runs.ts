import { keys } from '../queue/run-queue.js';
import { enqueueStoredRun } from './enqueue-stored-run.js';
import type { ProducerContext } from './submit-sweep.js';

/** Puts failed or cancelled runs back in the queue; they resume from their last checkpoint. */
export async function retryRuns(ctx: ProducerContext, runIds: readonly string[]): Promise<number> {
  let retried = 0;
  for (const id of runIds) {
    const run = await ctx.store.getRun(id);
    if (run === null || (run.status !== 'failed' && run.status !== 'cancelled')) continue;
    await ctx.redis.del(keys.cancelled(ctx.settings.prefix, id));
    const job = await ctx.runs.getJob(id);
    if (job !== undefined) await job.remove();
    await ctx.store.requeueRuns([id]);
    await enqueueStoredRun(ctx.store, ctx.runs, run);
    retried++;
  }
  return retried;
}
