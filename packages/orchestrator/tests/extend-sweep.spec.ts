import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitOrExtendSweep } from '../src/producer/extend-sweep.js';
import type { RunJob } from '../src/queue/payloads.js';
import { openRunsQueue } from '../src/queue/run-queue.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { createTestBed, type TestBed, tinyBase, writeSweep } from './helpers.js';

/**
 * Adding a variant, a grid value or a seed to a submitted sweep's file and submitting it again
 * extends that sweep (issue #21): only the new configurations are created and queued, finished
 * runs are reused, and runs the file no longer lists are reported and left alone.
 */
describe.each(['sqlite', 'postgresql'] as const)('extending a sweep by submitting its file again on %s', (provider) => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  beforeAll(async () => {
    bed = await createTestBed('extend', provider);
    runs = openRunsQueue(bed.settings, bed.redis);
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  const ctx = () => ({ store: bed.store, runs, redis: bed.redis, settings: bed.settings });
  const variant = (name: string, loss: string) => ({ name, set: { 'method.loss': loss } });
  const methods = {
    name: 'methods',
    base: tinyBase,
    variants: [variant('ce', 'cross-entropy'), variant('bs', 'balanced-softmax')],
  };

  /** Marks every run of the sweep succeeded, as workers and the recorder would. */
  async function finishAll(sweepId: string): Promise<void> {
    for (const run of (await bed.store.listRuns({ sweepId })).runs) {
      await (await runs.getJob(run.id))?.remove();
      await bed.store.markRunStarted({ runId: run.id, attempt: 1, node: 'n', slot: '0', at: new Date() });
      await bed.store.markRunFinished({ runId: run.id, attempt: 1, status: 'succeeded', at: new Date() });
    }
  }

  it('one more variant adds and queues one run; the finished ones are reused', async () => {
    const first = await submitOrExtendSweep(ctx(), await loadSweepFile(writeSweep(bed.dir, 'v2.yaml', methods)));
    expect(first).toMatchObject({ extended: null, created: 2, queued: 2 });
    await finishAll(first.sweepId);

    const three = { ...methods, variants: [...methods.variants, variant('focal', 'focal')] };
    const loaded = await loadSweepFile(writeSweep(bed.dir, 'v3.yaml', three));
    // Loaded alone, the edited file has another identity hash; submitted, it extends the stored sweep.
    expect(loaded.expanded.id).not.toBe(first.sweepId);
    const again = await submitOrExtendSweep(ctx(), loaded);

    expect(again.sweepId).toBe(first.sweepId);
    expect(again).toMatchObject({ extended: first.sweepId, created: 1, queued: 1, alreadySucceeded: 2, left: [] });
    expect(again.added).toHaveLength(1);
    expect(again.reused.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    expect((await bed.store.listSweeps()).map((sweep) => sweep.id)).toEqual([first.sweepId]);
    expect(await runs.count()).toBe(1);
    const [job] = await runs.getJobs(['waiting', 'prioritized']);
    expect(job?.id).toBe(again.added[0]);
    expect((await bed.store.getRun(again.added[0] ?? ''))?.label).toBe('focal');
  });

  it('a dropped variant is left as it was and reported', async () => {
    const loaded = await loadSweepFile(
      writeSweep(bed.dir, 'v1.yaml', { ...methods, variants: [variant('ce', 'cross-entropy')] }),
    );
    const again = await submitOrExtendSweep(ctx(), loaded);
    expect(again).toMatchObject({ created: 0, queued: 0, alreadySucceeded: 1 });
    expect(again.left.map((run) => run.label).sort()).toEqual(['bs', 'focal']);
    expect(again.left.find((run) => run.label === 'focal')?.status).toBe('queued');
  });

  it('refuses a changed objective, naming the field and the way out', async () => {
    const loaded = await loadSweepFile(
      writeSweep(bed.dir, 'objective.yaml', { ...methods, objective: { metric: 'test/few', mode: 'max' } }),
    );
    await expect(submitOrExtendSweep(ctx(), loaded)).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringContaining("Sweep 'methods' exists"),
      fix: expect.stringContaining('give the sweep another name'),
    });
    expect((await bed.store.listSweeps()).map((sweep) => sweep.name)).toEqual(['methods']);
  });
});
