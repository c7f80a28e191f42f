import { describe, expect, it } from 'vitest';
import { iterationScheduleSchema, learningRateAtIteration } from './iteration-schedule.js';

const at = (raw: unknown, base: number, i: number, total: number) =>
  learningRateAtIteration(iterationScheduleSchema.parse(raw), base, i, total);

describe('learningRateAtIteration', () => {
  const rr = { type: 'poly', power: 1, minLr: 0, warmupIterations: 1500, warmupRatio: 1e-6 };

  it('poly with linear warm-up as the Region Rebalance recipe (mmcv PolyLrUpdaterHook, warmup linear)', () => {
    // Iteration 0 runs at base * ratio: regular(0) = 6e-5, k = 1 - 1e-6.
    expect(at(rr, 6e-5, 0, 160_000)).toBeCloseTo(6e-11, 20);
    // Half-way through the warm-up: regular = 6e-5 * (1 - 750 / 160000), times 1 - 0.5 * (1 - 1e-6).
    expect(at(rr, 6e-5, 750, 160_000)).toBeCloseTo(5.971875e-5 * 0.5000005, 16);
    // From the warm-up's end on, the plain poly rule: 6e-5 * (1 - 1500 / 160000).
    expect(at(rr, 6e-5, 1500, 160_000)).toBeCloseTo(5.94375e-5, 16);
    expect(at(rr, 6e-5, 159_999, 160_000)).toBeCloseTo(3.75e-10, 20);
  });

  it('rises through the warm-up and falls after it', () => {
    const lrs = Array.from({ length: 3000 }, (_, i) => at(rr, 6e-5, i, 160_000));
    for (let i = 1; i < 1500; i++) expect(lrs[i] as number).toBeGreaterThan(lrs[i - 1] as number);
    for (let i = 1501; i < 3000; i++) expect(lrs[i] as number).toBeLessThan(lrs[i - 1] as number);
  });

  it('power and a floor as mmsegmentation’s DeepLab configs (power 0.9, min_lr 1e-4); constant', () => {
    const poly = { type: 'poly', power: 0.9, minLr: 1e-4 };
    expect(at(poly, 0.01, 0, 80_000)).toBeCloseTo(0.01, 15);
    expect(at(poly, 0.01, 40_000, 80_000)).toBeCloseTo(0.0099 * 0.5 ** 0.9 + 1e-4, 15);
    expect(at(poly, 0.01, 80_000, 80_000)).toBeCloseTo(1e-4, 15);
    expect(at({ type: 'constant' }, 0.3, 7, 10)).toBe(0.3);
  });

  it('rejects unknown keys and a non-positive warm-up ratio', () => {
    expect(iterationScheduleSchema.safeParse({ type: 'poly', warmupIters: 3 }).success).toBe(false);
    expect(iterationScheduleSchema.safeParse({ type: 'poly', warmupRatio: 0 }).success).toBe(false);
  });
});
