import { describe, expect, it } from 'vitest';
import { ashaStops, isAshaRung } from './asha.js';
import { median, medianRuleStops } from './median-rule.js';

const series = (...values: number[]) => new Map(values.map((v, e) => [e + 1, v] as [number, number]));

describe('median stopping rule', () => {
  const others = [series(0.5, 0.6, 0.7), series(0.4, 0.5, 0.6), series(0.3, 0.6, 0.65)];
  const base = { epoch: 3, others, mode: 'max' as const, minEpochs: 3, minRuns: 3 };

  it('stops a run below the median of its peers at the same epoch', () => {
    expect(medianRuleStops({ ...base, own: series(0.2, 0.3, 0.55) })).toBe(true);
    expect(medianRuleStops({ ...base, own: series(0.2, 0.3, 0.66) })).toBe(false);
  });

  it('waits for minEpochs and minRuns, and respects min mode', () => {
    expect(medianRuleStops({ ...base, epoch: 2, own: series(0, 0) })).toBe(false);
    expect(medianRuleStops({ ...base, others: others.slice(0, 2), own: series(0, 0, 0) })).toBe(false);
    expect(medianRuleStops({ ...base, mode: 'min', own: series(0.9, 0.9, 0.9) })).toBe(true);
  });

  it('computes medians of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('ASHA', () => {
  it('places rungs at grace * eta^k', () => {
    expect([1, 2, 3, 4, 9, 10, 27].map((e) => isAshaRung(e, 1, 3))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('keeps the top 1/eta at a rung and stops the rest', () => {
    const rung = { epoch: 3, mode: 'max' as const, gracePeriod: 1, reductionFactor: 3 };
    expect(ashaStops({ ...rung, value: 0.9, rungValues: [0.5, 0.6] })).toBe(false);
    expect(ashaStops({ ...rung, value: 0.55, rungValues: [0.5, 0.6] })).toBe(true);
    // Alone or with one peer at a rung, nobody can be judged yet.
    expect(ashaStops({ ...rung, value: 0.1, rungValues: [0.6] })).toBe(false);
    // Off-rung epochs never stop.
    expect(ashaStops({ ...rung, epoch: 2, value: 0.1, rungValues: [0.5, 0.6, 0.7] })).toBe(false);
  });
});
