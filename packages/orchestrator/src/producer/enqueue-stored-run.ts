import type { RunRecord, RunStore } from '@ltlab/store';
import type { Queue } from 'bullmq';
import type { RunJob } from '../queue/payloads.js';
import { runJobOptions } from '../queue/run-queue.js';

/** Enqueues a run from its stored row (config, sweep objective and priority). */
export async function enqueueStoredRun(store: RunStore, runs: Queue<RunJob>, run: RunRecord): Promise<void> {
  const sweep = run.sweepId === null ? null : await store.getSweep(run.sweepId);
  await runs.add(
    'run',
    {
      runId: run.id,
      sweepId: run.sweepId,
      config: run.config as RunJob['config'],
      configHash: run.configHash,
      objective: { metric: sweep?.objectiveMetric ?? 'test/top1', mode: sweep?.objectiveMode ?? 'max' },
      ...(sweep === null || sweep.spec.earlyStopping === undefined ? {} : { earlyStopping: sweep.spec.earlyStopping }),
      ...(sweep?.maxConcurrency == null ? {} : { maxConcurrency: sweep.maxConcurrency }),
    },
    runJobOptions(run.id, sweep?.priority ?? 50),
  );
}
