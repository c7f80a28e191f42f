import { describe, expect, it } from 'vitest';
import { columnStats, sampleStd } from './run-statistics.js';

describe('group statistics', () => {
  it('computes the sample standard deviation from moments', () => {
    const xs = [1, 2, 4];
    const mean = 7 / 3;
    const meanSq = 21 / 3;
    const expected = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(sampleStd(mean, meanSq, 3)).toBeCloseTo(expected, 12);
  });

  it('has no spread for one run or a missing mean, and none below zero for equal values', () => {
    expect(sampleStd(1, 1, 1)).toBeNull();
    expect(sampleStd(null, 1, 3)).toBeNull();
    // 0.1 three times: the mean of squares rounds just below the squared mean.
    const mean = (0.1 + 0.1 + 0.1) / 3;
    expect(sampleStd(mean, mean * mean - 1e-18, 3)).toBe(0);
  });

  it('gives mean, std and n of a column', () => {
    expect(columnStats(2, 5, 2)).toEqual({ mean: 2, std: Math.sqrt(2), n: 2 });
    expect(columnStats(null, null, 0)).toEqual({ mean: null, std: null, n: 0 });
  });
});
