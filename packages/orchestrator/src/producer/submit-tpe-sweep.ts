import { LtlabError } from '@ltlab/core';
import { bullPriority, keys } from '../queue/run-queue.js';
import { continueTpeSweep } from '../search/continue-tpe-sweep.js';
import type { LoadedSweep } from '../sweep/load-sweep-file.js';
import { changeJobPriority } from './change-job-priority.js';
import { enqueueStoredRun } from './enqueue-stored-run.js';
import type { ProducerContext, SubmitOptions, SubmitResult } from './submit-sweep.js';

/**
 * The runs of a TPE sweep whose row `submitSweep` has saved: none are expanded up front. The
 * sweep is brought up to its in-flight target (continue-tpe-sweep.ts), and the recorder makes
 * the rest as runs end. Submitting it again adds nothing while enough runs are in flight;
 * `--retry-failed` enqueues its failed and cancelled runs again, and a new priority moves its
 * waiting jobs, as for any sweep.
 */
export async function submitTpeSweep(
  ctx: ProducerContext,
  loaded: LoadedSweep,
  previousPriority: number | null,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const { spec, expanded } = loaded;
  if (spec.tpe === undefined) throw new LtlabError('INTERNAL', `Sweep ${expanded.id} has no tpe: section.`);
  const { runs: before } = await ctx.store.listRuns({ sweepId: expanded.id });
  const result: SubmitResult = {
    sweepId: expanded.id,
    runs: spec.tpe.count,
    created: 0,
    queued: 0,
    alreadySucceeded: before.filter((run) => run.status === 'succeeded').length,
    alreadyRunning: before.filter((run) => run.status === 'running').length,
    alreadyStopped: before.filter((run) => run.status === 'stopped').length,
    skippedFailed: 0,
    reprioritized: 0,
  };
  const ended = before.filter((run) => run.status === 'failed' || run.status === 'cancelled');
  if (options.retryFailed === true && ended.length > 0) {
    await ctx.store.requeueRuns(ended.map((run) => run.id));
    await ctx.redis.del(...ended.map((run) => keys.cancelled(ctx.settings.prefix, run.id)));
    for (const run of ended) {
      const job = await ctx.runs.getJob(run.id);
      if (job !== undefined) await job.remove();
      await enqueueStoredRun(ctx.store, ctx.runs, run);
    }
  } else result.skippedFailed = ended.length;
  if (previousPriority !== null && previousPriority !== spec.priority) {
    for (const run of before.filter((r) => r.status === 'queued')) {
      if (await changeJobPriority(ctx.runs, run.id, bullPriority(spec.priority))) result.reprioritized++;
    }
  }
  const progress = await continueTpeSweep(
    { store: ctx.store, runs: ctx.runs, redis: ctx.redis, prefix: ctx.settings.prefix },
    expanded.id,
  );
  result.created = progress?.created.length ?? 0;
  result.queued = (await ctx.store.countRunsByStatus(expanded.id)).queued;
  return result;
}
