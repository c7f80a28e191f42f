import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRuns } from '../src/producer/cancel-runs.js';
import { submitSweep } from '../src/producer/submit-sweep.js';
import type { RunJob } from '../src/queue/payloads.js';
import { openRunsQueue } from '../src/queue/run-queue.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { createTestBed, type TestBed, tinyBase, writeSweep } from './helpers.js';

describe.each(['sqlite', 'postgresql'] as const)('submitSweep on %s', (provider) => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  beforeAll(async () => {
    bed = await createTestBed('producer', provider);
    runs = openRunsQueue(bed.settings, bed.redis);
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  const ctx = () => ({ store: bed.store, runs, redis: bed.redis, settings: bed.settings });

  it('writes rows then one job per run, and a resubmission duplicates nothing', async () => {
    const path = writeSweep(bed.dir, 'sweep.yaml', {
      name: 'lr',
      base: tinyBase,
      grid: { 'optimizer.lr': [0.1, 0.05] },
      replicates: 2,
      priority: 80,
    });
    const loaded = await loadSweepFile(path);
    const first = await submitSweep(ctx(), loaded);
    expect(first).toMatchObject({ runs: 4, created: 4, queued: 4, alreadySucceeded: 0 });
    expect(await runs.count()).toBe(4);
    const job = await runs.getJob(loaded.expanded.runs[0]?.id ?? '');
    expect(job?.data.config.optimizer.lr).toBe(0.1);
    expect(job?.opts.priority).toBe(21);

    const again = await submitSweep(ctx(), await loadSweepFile(path));
    expect(again).toMatchObject({ runs: 4, created: 0 });
    expect(await runs.count()).toBe(4);
    expect((await bed.store.listRuns({ sweepId: first.sweepId })).total).toBe(4);
  });

  it('skips succeeded runs and re-enqueues failed ones only when asked', async () => {
    const path = writeSweep(bed.dir, 'sweep2.yaml', {
      name: 'retry',
      base: tinyBase,
      grid: { 'optimizer.lr': [0.2, 0.3] },
    });
    const loaded = await loadSweepFile(path);
    await submitSweep(ctx(), loaded);
    const [ok, bad] = loaded.expanded.runs.map((r) => r.id) as [string, string];
    for (const id of [ok, bad]) await (await runs.getJob(id))?.remove();
    const at = new Date();
    await bed.store.markRunStarted({ runId: ok, attempt: 1, node: 'n', slot: '0', at });
    await bed.store.markRunFinished({ runId: ok, attempt: 1, status: 'succeeded', at });
    await bed.store.markRunStarted({ runId: bad, attempt: 1, node: 'n', slot: '0', at });
    await bed.store.markRunFinished({ runId: bad, attempt: 1, status: 'failed', errorCode: 'TRAIN.NAN_LOSS', at });

    expect(await submitSweep(ctx(), loaded)).toMatchObject({ alreadySucceeded: 1, skippedFailed: 1, queued: 0 });
    expect(await runs.getJob(bad)).toBeUndefined();
    expect(await submitSweep(ctx(), loaded, { retryFailed: true })).toMatchObject({ alreadySucceeded: 1, queued: 1 });
    expect(await runs.getJob(bad)).toBeDefined();
    expect((await bed.store.getRun(bad))?.status).toBe('queued');
  });

  it('cancels waiting runs: out of the queue, cancelled in the store', async () => {
    const path = writeSweep(bed.dir, 'sweep3.yaml', {
      name: 'cancel',
      base: tinyBase,
      grid: { 'optimizer.lr': [0.4] },
    });
    const loaded = await loadSweepFile(path);
    await submitSweep(ctx(), loaded);
    const id = loaded.expanded.runs[0]?.id ?? '';
    expect(await cancelRuns(ctx(), [id])).toBe(1);
    expect(await runs.getJob(id)).toBeUndefined();
    expect((await bed.store.getRun(id))?.status).toBe('cancelled');
  });

  it('rejects an invalid sweep before anything reaches Redis, listing every error path', async () => {
    const keysBefore = await bed.redis.keys(`${bed.settings.prefix}:*`);
    const path = writeSweep(bed.dir, 'bad.yaml', {
      name: 'bad',
      base: tinyBase,
      grid: { 'optimizer.lr': [-1], batchSize: [0] },
      random: { count: 0, params: {} },
    });
    await expect(loadSweepFile(path)).rejects.toThrow(/random\.count/);
    const path2 = writeSweep(bed.dir, 'bad2.yaml', {
      name: 'bad2',
      base: tinyBase,
      grid: { 'optimizer.lr': [-1], batchSize: [0] },
    });
    const error = (await loadSweepFile(path2).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/optimizer\.lr/);
    expect(error.message).toMatch(/batchSize/);
    expect(await bed.redis.keys(`${bed.settings.prefix}:*`)).toEqual(keysBefore);
  });
});
