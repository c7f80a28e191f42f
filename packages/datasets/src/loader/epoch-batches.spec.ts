import { describe, expect, it } from 'vitest';
import { batchCount, epochBatches, type LoaderProgress } from './epoch-batches.js';

describe('epochBatches', () => {
  const order = Int32Array.from([4, 2, 0, 3, 1]);
  const plan = { batchSize: 2, seed: 7, dropLast: false, workers: 0 };

  it('counts batches with and without the short last one, from a resume position', () => {
    expect(batchCount(5, 0, plan)).toBe(3);
    expect(batchCount(5, 0, { ...plan, dropLast: true })).toBe(2);
    expect(batchCount(5, 2, plan)).toBe(2);
    expect(batchCount(5, 6, plan)).toBe(0);
  });

  it('yields the built batches in order with their index, and reports progress after each', async () => {
    const progress: LoaderProgress[] = [];
    const seen: Array<[number, number[], string]> = [];
    const run = async (job: { indices: Int32Array; start: number }) => {
      // The first batch finishes last: order must still hold.
      await new Promise((resolve) => setTimeout(resolve, job.start === 2 ? 20 : 1));
      return `built ${Array.from(job.indices).join(',')}`;
    };
    for await (const { job, index, built } of epochBatches(order, 3, 2, plan, run, (p) => progress.push(p))) {
      seen.push([index, Array.from(job.indices), built]);
    }
    expect(seen).toEqual([
      [1, [0, 3], 'built 0,3'],
      [2, [1], 'built 1'],
    ]);
    expect(progress.map((p) => [p.epoch, p.batch, p.batches, p.samples])).toEqual([
      [3, 1, 2, 2],
      [3, 2, 2, 3],
    ]);
  });
});
