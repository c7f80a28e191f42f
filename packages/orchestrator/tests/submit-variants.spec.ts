import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSweep } from '../src/producer/submit-sweep.js';
import type { RunJob } from '../src/queue/payloads.js';
import { openRunsQueue } from '../src/queue/run-queue.js';
import { loadSweepFile } from '../src/sweep/load-sweep-file.js';
import { createTestBed, type TestBed } from './helpers.js';

const MAIN_JOB_SWEEP = fileURLToPath(new URL('../../../configs/sweeps/fmnist-lt-small-methods.yaml', import.meta.url));

describe.each(['sqlite', 'postgresql'] as const)('submitting the main job (variants) on %s', (provider) => {
  let bed: TestBed;
  let runs: Queue<RunJob>;
  beforeAll(async () => {
    bed = await createTestBed('variants', provider);
    runs = openRunsQueue(bed.settings, bed.redis);
  });
  afterAll(async () => {
    await runs.close();
    await bed.cleanup();
  });

  it('marks the leaves that differ between methods as swept, as `runs show` lists them', async () => {
    const loaded = await loadSweepFile(MAIN_JOB_SWEEP);
    const { sweepId } = await submitSweep({ store: bed.store, runs, redis: bed.redis, settings: bed.settings }, loaded);
    const swept = async (label: string) => {
      const run = loaded.expanded.runs.find((r) => r.label === label);
      const detail = await bed.store.getRunDetail(run?.id ?? '');
      return detail?.hyperparameters.filter((p) => p.swept).map((p) => p.key);
    };
    expect(await swept('ce')).toEqual(['method.loss']);
    expect(await swept('ldam-drw')).toEqual([
      'method.drw.beta',
      'method.drw.startEpoch',
      'method.loss',
      'method.options.maxM',
      'method.options.s',
    ]);
    expect(await swept('reslt')).toEqual([
      'method.loss',
      'method.options.beta',
      'method.options.mediumTailRange',
      'method.options.tailRange',
    ]);
    const columns = await bed.store.listColumns(sweepId);
    expect(
      columns.hyperparameters
        .filter((p) => p.swept)
        .map((p) => p.key)
        .sort(),
    ).toEqual([...loaded.expanded.sweptKeys].sort());
  });
});
