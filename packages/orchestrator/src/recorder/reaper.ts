import type { RunStore } from '@ltlab/store';
import type { Queue } from 'bullmq';
import { enqueueStoredRun } from '../producer/enqueue-stored-run.js';
import type { RunJob } from '../queue/payloads.js';

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
      await enqueueStoredRun(store, runs, run);
      result.reEnqueued.push(run.id);
    }
    const since = run.heartbeatAt === null ? 'it started' : run.heartbeatAt.toISOString();
    await store.markRunRequeued({
      runId: run.id,
      attempt: run.attempt,
      at: now,
      // A worker that dies without a word (SIGKILL, power, network) only shows as silence.
      reason: {
        code: 'TRAIN.INTERRUPTED',
        message: `no heartbeat from ${run.node ?? 'its worker'}/${run.slot ?? '?'} since ${since}`,
      },
    });
    result.requeued.push(run.id);
  }
  return result;
}
