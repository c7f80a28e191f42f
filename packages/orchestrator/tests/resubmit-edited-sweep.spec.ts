import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSweep } from '../src/producer/submit-sweep.js';
import type { RunJob } from '../src/queue/payloads.js';
import { bullPriority, openRunsQueue } from '../src/queue/run-queue.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { createTestBed, type TestBed, tinyBase, writeSweep } from './helpers.js';

/**
 * A sweep is identified by what it trains (sweep-identity.ts): submitting it again with only its
 * description or priority edited must not create a second sweep with new runs of the same
 * configs (issue: security and failure behaviour).
 */
describe.each(['sqlite', 'postgresql'] as const)('resubmitting an edited sweep on %s', (provider) => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  beforeAll(async () => {
    bed = await createTestBed('resubmit', provider);
    runs = openRunsQueue(bed.settings, bed.redis);
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  const ctx = () => ({ store: bed.store, runs, redis: bed.redis, settings: bed.settings });
  const sweep = {
    name: 'edited',
    description: 'first words',
    base: tinyBase,
    grid: { 'optimizer.lr': [0.1, 0.05, 0.02] },
    priority: 40,
  };

  it('updates the description and priority, creates no run and enqueues no job', async () => {
    const first = await submitSweep(ctx(), await loadSweepFile(writeSweep(bed.dir, 'first.yaml', sweep)));
    expect(first).toMatchObject({ runs: 3, created: 3, queued: 3, reprioritized: 0 });
    const [started] = (await bed.store.listRuns({ sweepId: first.sweepId })).runs;
    await (await runs.getJob(started?.id ?? ''))?.remove();
    await bed.store.markRunStarted({ runId: started?.id ?? '', attempt: 1, node: 'n', slot: '0', at: new Date() });

    const edited = await loadSweepFile(
      writeSweep(bed.dir, 'edited.yaml', { ...sweep, description: 'better words', priority: 90 }),
    );
    const again = await submitSweep(ctx(), edited);

    expect(again.sweepId).toBe(first.sweepId);
    expect(again).toMatchObject({ runs: 3, created: 0, alreadyRunning: 1, reprioritized: 2 });
    expect((await bed.store.listSweeps()).map((s) => s.id)).toEqual([first.sweepId]);
    expect((await bed.store.listRuns({ sweepId: first.sweepId })).total).toBe(3);
    expect(await runs.count()).toBe(2);
    const stored = await bed.store.getSweep(first.sweepId);
    expect(stored?.priority).toBe(90);
    expect(stored?.spec).toMatchObject({ description: 'better words', priority: 90 });
    for (const run of edited.expanded.runs.filter((r) => r.id !== started?.id)) {
      const job = await runs.getJob(run.id);
      expect(job?.priority).toBe(bullPriority(90));
    }
  });

  // Submitted, a changed grid extends the stored sweep of its name instead (extend-sweep.spec.ts).
  it('a changed grid or name has another identity hash', async () => {
    const grid = await loadSweepFile(
      writeSweep(bed.dir, 'grid.yaml', { ...sweep, grid: { 'optimizer.lr': [0.1, 0.05, 0.03] } }),
    );
    const renamed = await loadSweepFile(writeSweep(bed.dir, 'renamed.yaml', { ...sweep, name: 'edited-2' }));
    const original = await loadSweepFile(writeSweep(bed.dir, 'original.yaml', sweep));
    expect(grid.expanded.id).not.toBe(original.expanded.id);
    expect(renamed.expanded.id).not.toBe(original.expanded.id);
  });
});
