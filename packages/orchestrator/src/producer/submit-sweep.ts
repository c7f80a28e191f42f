import type { RunInput, RunStore } from '@ltlab/store';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueSettings } from '../queue/connection.js';
import type { RunJob } from '../queue/payloads.js';
import { bullPriority, keys, runJobOptions } from '../queue/run-queue.js';
import type { LoadedSweep } from '../sweep/load-sweep-file.js';
import { changeJobPriority } from './change-job-priority.js';
import { submitTpeSweep } from './submit-tpe-sweep.js';

export interface SubmitOptions {
  /** Re-enqueue runs that failed or were cancelled (`sweep resume --retry-failed`). */
  retryFailed?: boolean;
}

export interface SubmitResult {
  sweepId: string;
  runs: number;
  created: number;
  /** Runs now waiting in the queue (new jobs, and jobs that were already waiting). */
  queued: number;
  alreadySucceeded: number;
  alreadyRunning: number;
  /** Runs the sweep's early-stopping rule stopped: a result, never queued again (not even by --retry-failed). */
  alreadyStopped: number;
  skippedFailed: number;
  /** Jobs already waiting whose priority was changed to the sweep's new priority. */
  reprioritized: number;
}

export interface ProducerContext {
  store: RunStore;
  runs: Queue<RunJob>;
  redis: Redis;
  settings: QueueSettings;
}

/**
 * Writes the sweep and its runs to the store, then enqueues one job per unfinished run
 * (job id = run id, so BullMQ ignores a run already waiting). Submitting the same sweep again
 * creates no runs and no jobs; runs that succeeded are never trained twice. A sweep submitted
 * again with only its description or priority edited has the same id (sweep-identity.ts): its
 * row is updated, and its waiting jobs move to the new priority. A TPE sweep stores and
 * enqueues only the runs that should be in flight now (submit-tpe-sweep.ts).
 */
export async function submitSweep(
  ctx: ProducerContext,
  loaded: LoadedSweep,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const { spec, base, expanded } = loaded;
  const previous = await ctx.store.getSweep(expanded.id);
  await ctx.store.saveSweep({
    id: expanded.id,
    name: spec.name,
    spec: JSON.parse(JSON.stringify({ ...spec, base })),
    specHash: expanded.specHash,
    objectiveMetric: spec.objective.metric,
    objectiveMode: spec.objective.mode,
    priority: spec.priority,
    maxConcurrency: spec.maxConcurrency ?? null,
  });
  if (expanded.search !== undefined) return submitTpeSweep(ctx, loaded, previous?.priority ?? null, options);
  const inputs: RunInput[] = expanded.runs.map((run) => ({
    id: run.id,
    sweepId: expanded.id,
    fingerprint: run.fingerprint,
    config: JSON.parse(JSON.stringify(run.config)),
    configHash: run.fingerprint,
    label: run.label,
    ordinal: run.ordinal,
    sweptKeys: expanded.sweptKeys,
  }));
  const { created } = await ctx.store.addRuns(inputs);
  const { runs: stored } = await ctx.store.listRuns({ sweepId: expanded.id });
  const statusById = new Map(stored.map((run) => [run.id, run.status]));

  const toRequeue: string[] = [];
  const result: SubmitResult = {
    sweepId: expanded.id,
    runs: expanded.runs.length,
    created: created.length,
    queued: 0,
    alreadySucceeded: 0,
    alreadyRunning: 0,
    alreadyStopped: 0,
    skippedFailed: 0,
    reprioritized: 0,
  };
  const jobs: Array<{ name: string; data: RunJob; opts: ReturnType<typeof runJobOptions> }> = [];
  for (const run of expanded.runs) {
    const status = statusById.get(run.id);
    if (status === 'succeeded') result.alreadySucceeded++;
    else if (status === 'running') result.alreadyRunning++;
    else if (status === 'stopped') result.alreadyStopped++;
    else if ((status === 'failed' || status === 'cancelled') && options.retryFailed !== true) result.skippedFailed++;
    else {
      if (status === 'failed' || status === 'cancelled') toRequeue.push(run.id);
      jobs.push({
        name: 'run',
        data: {
          runId: run.id,
          sweepId: expanded.id,
          config: run.config,
          configHash: run.fingerprint,
          objective: spec.objective,
          ...(spec.earlyStopping === undefined ? {} : { earlyStopping: spec.earlyStopping }),
          ...(spec.maxConcurrency === undefined ? {} : { maxConcurrency: spec.maxConcurrency }),
        },
        opts: runJobOptions(run.id, spec.priority),
      });
    }
  }
  if (toRequeue.length > 0) {
    await ctx.store.requeueRuns(toRequeue);
    await ctx.redis.del(...toRequeue.map((id) => keys.cancelled(ctx.settings.prefix, id)));
  }
  for (let i = 0; i < jobs.length; i += 500) await ctx.runs.addBulk(jobs.slice(i, i + 500));
  result.queued = jobs.length;
  if (previous !== null && previous.priority !== spec.priority) {
    // addBulk leaves an existing job as it was: move the ones already waiting to the new priority.
    const fresh = new Set(created);
    const waiting = jobs.filter((job) => !fresh.has(job.data.runId) && statusById.get(job.data.runId) === 'queued');
    for (const { data } of waiting) {
      if (await changeJobPriority(ctx.runs, data.runId, bullPriority(spec.priority))) result.reprioritized++;
    }
  }
  return result;
}
