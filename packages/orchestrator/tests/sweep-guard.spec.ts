import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SweepGuard } from '../src/early-stopping/sweep-guard.js';
import { createTestBed, type TestBed } from './helpers.js';

describe('SweepGuard', () => {
  let bed: TestBed;
  let guard: SweepGuard;
  beforeAll(async () => {
    bed = await createTestBed('guard');
    guard = new SweepGuard(bed.redis, bed.settings.prefix);
  });
  afterAll(async () => {
    await bed.cleanup();
  });

  it('admits at most maxConcurrency runs of a sweep, and frees expired places', async () => {
    expect(await guard.acquire('sw', 'a', 2, 10_000, 1_000)).toBe(true);
    expect(await guard.acquire('sw', 'b', 2, 10_000, 1_000)).toBe(true);
    expect(await guard.acquire('sw', 'c', 2, 10_000, 1_000)).toBe(false);
    await guard.release('sw', 'a');
    expect(await guard.acquire('sw', 'c', 2, 10_000, 1_000)).toBe(true);
    // b's worker died: its place lapses once its time is up.
    expect(await guard.acquire('sw', 'd', 2, 10_000, 20_000)).toBe(true);
    expect(await guard.acquire('other', 'x', 1, 10_000, 1_000)).toBe(true);
  });

  it('stops a run below the median of its peers, across workers', async () => {
    const rule = { rule: 'median' as const, minEpochs: 2, minRuns: 2 };
    for (const [run, values] of [
      ['r1', [0.5, 0.6]],
      ['r2', [0.4, 0.7]],
    ] as const) {
      for (const [index, value] of values.entries()) await guard.report('med', run, index + 1, value, rule, 'max');
    }
    expect((await guard.report('med', 'r3', 1, 0.1, rule, 'max')).stop).toBe(false); // before minEpochs
    const decision = await guard.report('med', 'r3', 2, 0.2, rule, 'max');
    expect(decision.stop).toBe(true);
    expect(decision.reason).toMatch(/median rule at epoch 2/);
    expect((await guard.report('med', 'r4', 2, 0.9, rule, 'max')).stop).toBe(false);
  });

  it('applies ASHA at its rungs', async () => {
    const rule = { rule: 'asha' as const, gracePeriod: 1, reductionFactor: 2 };
    expect((await guard.report('asha', 'a', 1, 0.8, rule, 'max')).stop).toBe(false);
    expect((await guard.report('asha', 'b', 1, 0.3, rule, 'max')).stop).toBe(true);
    expect((await guard.report('asha', 'c', 3, 0.1, rule, 'max')).stop).toBe(false); // epoch 3 is no rung for eta 2
  });
});
