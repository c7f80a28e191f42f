import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSweep } from '../src/producer/submit-sweep.js';
import type { RunJob } from '../src/queue/payloads.js';
import { openRunsQueue } from '../src/queue/run-queue.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { createTestBed, type TestBed, tinyBase, writeSweep } from './helpers.js';

describe('sweep resume with early-stopped runs', () => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  beforeAll(async () => {
    bed = await createTestBed('resume-stopped');
    runs = openRunsQueue(bed.settings, bed.redis);
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  it('leaves stopped runs stopped, even with --retry-failed, and requeues the failed one', async () => {
    const path = writeSweep(bed.dir, 'asha.yaml', {
      name: 'asha',
      base: { ...tinyBase, epochs: 9 },
      grid: { 'optimizer.lr': [0.1, 0.2, 0.3] },
      objective: { metric: 'test/top1', mode: 'max' },
      earlyStopping: { rule: 'asha', gracePeriod: 1, reductionFactor: 3 },
    });
    const loaded = await loadSweepFile(path);
    const ctx = { store: bed.store, runs, redis: bed.redis, settings: bed.settings };
    await submitSweep(ctx, loaded);
    const [done, stopped, failed] = loaded.expanded.runs.map((r) => r.id) as [string, string, string];
    for (const id of [done, stopped, failed]) await (await runs.getJob(id))?.remove();
    const at = new Date();
    for (const id of [done, stopped, failed])
      await bed.store.markRunStarted({ runId: id, attempt: 1, node: 'n', slot: '0', at });
    await bed.store.markRunFinished({ runId: done, attempt: 1, status: 'succeeded', at });
    await bed.store.markRunFinished({
      runId: stopped,
      attempt: 1,
      status: 'stopped',
      errorCode: 'RUN.EARLY_STOPPED',
      errorMessage: 'ASHA rung at epoch 3: 0.2000 is not in the top 1/3',
      at,
    });
    await bed.store.markRunFinished({ runId: failed, attempt: 1, status: 'failed', errorCode: 'TRAIN.NAN_LOSS', at });

    expect(await submitSweep(ctx, loaded)).toMatchObject({
      alreadySucceeded: 1,
      alreadyStopped: 1,
      skippedFailed: 1,
      queued: 0,
    });
    expect(await submitSweep(ctx, loaded, { retryFailed: true })).toMatchObject({
      alreadySucceeded: 1,
      alreadyStopped: 1,
      queued: 1,
    });
    expect(await runs.getJob(stopped)).toBeUndefined();
    expect(await bed.store.getRun(stopped)).toMatchObject({ status: 'stopped', errorCode: 'RUN.EARLY_STOPPED' });
    expect((await bed.store.getRun(failed))?.status).toBe('queued');
    expect(await runs.getJob(failed)).toBeDefined();
  });
});
