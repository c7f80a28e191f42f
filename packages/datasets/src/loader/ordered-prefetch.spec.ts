import { describe, expect, it } from 'vitest';
import { planBatches, runInOrder } from './ordered-prefetch.js';

describe('planBatches', () => {
  const order = Int32Array.from([9, 8, 7, 6, 5, 4, 3]);

  it('slices the order into batches from a start position, dropping the short one on request', () => {
    const jobs = planBatches(order, { epoch: 2, seed: 5, batchSize: 3, dropLast: false, startPosition: 3 });
    expect(jobs.map((job) => [job.start, Array.from(job.indices)])).toEqual([
      [3, [6, 5, 4]],
      [6, [3]],
    ]);
    expect([jobs[0]?.epoch, jobs[0]?.seed]).toEqual([2, 5]);
    expect(planBatches(order, { epoch: 0, seed: 0, batchSize: 3, dropLast: true, startPosition: 0 }).length).toBe(2);
  });

  it('rejects a start off a batch boundary', () => {
    expect(() => planBatches(order, { epoch: 0, seed: 0, batchSize: 3, dropLast: false, startPosition: 2 })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });
});

describe('runInOrder', () => {
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('yields results in job order with at most `prefetch` running', async () => {
    let running = 0;
    let most = 0;
    const run = async (job: number) => {
      running++;
      most = Math.max(most, running);
      await delay(job % 2 === 0 ? 15 : 1);
      running--;
      return job * 10;
    };
    const results: number[] = [];
    for await (const result of runInOrder([0, 1, 2, 3, 4, 5], run, 3)) results.push(result);
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(most).toBe(3);
  });

  it('lets started work settle before rethrowing a failure', async () => {
    const settled: number[] = [];
    const run = async (job: number) => {
      await delay(job === 1 ? 1 : 20);
      settled.push(job);
      if (job === 1) throw new Error('job 1 failed');
      return job;
    };
    const seen: number[] = [];
    const consume = async () => {
      for await (const result of runInOrder([0, 1, 2, 3], run, 3)) seen.push(result);
    };
    await expect(consume()).rejects.toThrow('job 1 failed');
    expect(seen).toEqual([0]);
    // Job 2 (and 3, submitted when job 0 finished) were in flight: they finished before the rejection.
    expect(settled.sort()).toEqual([0, 1, 2, 3]);
  });
});
