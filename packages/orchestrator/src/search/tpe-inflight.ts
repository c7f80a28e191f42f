import type { RunStore } from '@ltlab/store';
import type { SweepSpec } from '../sweep/sweep-spec.js';

/** Runs of a TPE sweep kept queued or running when neither maxConcurrency nor a live worker says more. */
export const DEFAULT_TPE_INFLIGHT = 2;

/** A worker whose last heartbeat is older than this is not counted (they beat every 5 s). */
export const LIVE_WORKER_MS = 60_000;

/**
 * How many runs of a TPE sweep should be queued or running at once: the sweep's
 * `maxConcurrency` if set, else the worker slots heartbeating now (so every slot has a run),
 * else DEFAULT_TPE_INFLIGHT. More in flight keeps more slots busy; fewer lets each suggestion
 * see more results.
 */
export async function tpeInflightTarget(store: RunStore, spec: SweepSpec, now = new Date()): Promise<number> {
  if (spec.maxConcurrency !== undefined) return spec.maxConcurrency;
  const live = (await store.listWorkers()).filter(
    (worker) => worker.status !== 'stopping' && now.getTime() - worker.heartbeatAt.getTime() <= LIVE_WORKER_MS,
  );
  return live.length > 0 ? live.length : DEFAULT_TPE_INFLIGHT;
}
