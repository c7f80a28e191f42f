import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunJob } from '../src/queue/payloads.js';
import { openRunsQueue } from '../src/queue/run-queue.js';
import { reapStaleRuns } from '../src/recorder/reaper.js';
import { createTestBed, type TestBed, tinyBase } from './helpers.js';

describe('reapStaleRuns', () => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  const started = new Date('2026-12-07T05:00:00Z');

  beforeAll(async () => {
    bed = await createTestBed('reaper');
    runs = openRunsQueue(bed.settings, bed.redis);
    await bed.store.addRuns(
      ['silent', 'beating'].map((id, ordinal) => ({
        id,
        sweepId: null,
        fingerprint: id,
        config: tinyBase,
        configHash: id,
        label: id,
        ordinal,
        sweptKeys: [],
      })),
    );
    for (const runId of ['silent', 'beating'])
      await bed.store.markRunStarted({ runId, attempt: 1, node: 'host-a', slot: 'cpu0', at: started });
    await bed.store.markRunProgress({ runId: 'beating', attempt: 1, at: new Date(started.getTime() + 110_000) });
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  it('queues a silent run again, saying whose heartbeat stopped and when, and leaves a beating one', async () => {
    const now = new Date(started.getTime() + 120_000);
    // The silent run's job is gone from Redis (the worker's host died with it): it is enqueued again.
    expect(await reapStaleRuns(bed.store, runs, 60_000, now)).toEqual({ requeued: ['silent'], reEnqueued: ['silent'] });
    expect(await bed.store.getRun('silent')).toMatchObject({
      status: 'queued',
      errorCode: 'TRAIN.INTERRUPTED',
      errorMessage: 'attempt 1 requeued: no heartbeat from host-a/cpu0 since 2026-12-07T05:00:00.000Z',
    });
    expect(await runs.getJob('silent')).toBeDefined();
    expect(await bed.store.getRun('beating')).toMatchObject({ status: 'running', errorCode: null });
  });
});
