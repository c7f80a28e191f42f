import { describe, expect, it } from 'vitest';
import { correlationRatio, parameterImportance } from './importance.js';

describe('hyperparameter importance (η²)', () => {
  it('is 1 when the parameter explains everything and 0 when groups share a mean', () => {
    expect(
      correlationRatio([
        { value: 'a', objective: 1 },
        { value: 'a', objective: 1 },
        { value: 'b', objective: 3 },
      ]).eta2,
    ).toBeCloseTo(1, 12);
    expect(
      correlationRatio([
        { value: 1, objective: 1 },
        { value: 1, objective: 3 },
        { value: 2, objective: 3 },
        { value: 2, objective: 1 },
      ]).eta2,
    ).toBeCloseTo(0, 12);
  });

  it('matches the textbook between/total sums of squares', () => {
    const points = [
      { value: 'x', objective: 1 },
      { value: 'x', objective: 2 },
      { value: 'y', objective: 4 },
      { value: 'y', objective: 7 },
    ];
    // Grand mean 3.5; between = 2*(1.5-3.5)^2 + 2*(5.5-3.5)^2 = 16; total = 6.25+2.25+0.25+12.25 = 21.
    expect(correlationRatio(points).eta2).toBeCloseTo(16 / 21, 12);
  });

  it('bins numeric parameters with many values into quantiles instead of one group per run', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ value: i / 100, objective: (i * 37) % 11 }));
    const { eta2, groups } = correlationRatio(points);
    expect(groups).toBe(10);
    expect(eta2).toBeLessThan(0.3);
  });

  it('ranks parameters and ignores runs without an objective', () => {
    const rows = [
      { values: { loss: 'ce', seed: 1 }, objective: 0.5 },
      { values: { loss: 'ce', seed: 2 }, objective: 0.52 },
      { values: { loss: 'paco', seed: 1 }, objective: 0.7 },
      { values: { loss: 'paco', seed: 2 }, objective: 0.71 },
      { values: { loss: 'paco', seed: 3 }, objective: null },
    ];
    const ranked = parameterImportance(['seed', 'loss'], rows);
    expect(ranked.map((p) => p.key)).toEqual(['loss', 'seed']);
    expect(ranked[0]?.n).toBe(4);
  });
});
