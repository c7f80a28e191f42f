import type { RunStore } from '@ltlab/store';
import type { Queue } from 'bullmq';
import type { RunJob } from '../queue/payloads.js';
import { runJobOptions } from '../queue/run-queue.js';

export interface ReapResult {
  requeued: string[];
  reEnqueued: string[];
}

/**
 * Finds runs marked running whose heartbeats stopped (a dead worker or recorder gap) and makes
 * sure each will run again: a job still in Redis (BullMQ returns stalled jobs to the queue by
 * itself) only gets its row set back to queued; a job lost from Redis is enqueued again.
 */
export async function reapStaleRuns(
  store: RunStore,
  runs: Queue<RunJob>,
  staleAfterMs: number,
  now = new Date(),
): Promise<ReapResult> {
  const result: ReapResult = { requeued: [], reEnqueued: [] };
  for (const run of await store.findStaleRuns(new Date(now.getTime() - staleAfterMs))) {
    const job = await runs.getJob(run.id);
    const state = job === undefined ? 'missing' : await job.getState();
    if (state === 'active') continue; // its lock decides: BullMQ moves it back if the worker died
    if (state === 'missing' || state === 'unknown' || state === 'completed' || state === 'failed') {
      const sweep = run.sweepId === null ? null : await store.getSweep(run.sweepId);
      await runs.add(
        'run',
        {
          runId: run.id,
          sweepId: run.sweepId,
          config: run.config as RunJob['config'],
          configHash: run.configHash,
          objective: { metric: sweep?.objectiveMetric ?? 'test/top1', mode: sweep?.objectiveMode ?? 'max' },
        },
        runJobOptions(run.id, sweep?.priority ?? 50),
      );
      result.reEnqueued.push(run.id);
    }
    await store.markRunRequeued({ runId: run.id, attempt: run.attempt, at: now });
    result.requeued.push(run.id);
  }
  return result;
}
