import { describe, expect, it } from 'vitest';
import { tooFewRuns } from './importance/forest-importance.js';
import { correlationRatio, ONE_RUN_PER_VALUE, ONE_VALUE, parameterImportance } from './importance.js';

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
    const { eta2, groups, perGroup } = correlationRatio(points);
    expect(groups).toBe(10);
    expect(eta2).toBeLessThan(0.3);
    expect(perGroup.map((g) => g.n)).toEqual(Array.from({ length: 10 }, () => 10));
    expect(perGroup[0]?.value).toBe('0–0.09');
  });

  it('refuses to estimate η² with one run per value (it would be 1 whatever the data)', () => {
    const result = correlationRatio([
      { value: 'ce', objective: 0.5 },
      { value: 'ldam', objective: 0.6 },
      { value: 'reslt', objective: 0.7 },
    ]);
    expect(result).toMatchObject({ eta2: null, note: ONE_RUN_PER_VALUE, groups: 3 });
    expect(result.perGroup.map((g) => [g.value, g.n])).toEqual([
      ['ce', 1],
      ['ldam', 1],
      ['reslt', 1],
    ]);
    expect(correlationRatio([{ value: 2, objective: 1 }]).note).toBe(ONE_VALUE);
    expect(correlationRatio([]).eta2).toBeNull();
  });

  it('groups runs without the leaf as "—" and reports n and the mean per group', () => {
    const result = correlationRatio([
      { value: 0.99, objective: 0.7 },
      { value: null, objective: 0.5 },
      { value: null, objective: 0.6 },
      { value: 0.9, objective: 0.8 },
    ]);
    expect(result.perGroup).toEqual([
      { value: '—', n: 2, mean: 0.55 },
      { value: '0.9', n: 1, mean: 0.8 },
      { value: '0.99', n: 1, mean: 0.7 },
    ]);
    // Grand mean 0.65; between = 2*0.1^2 + 0.15^2 + 0.05^2 = 0.045; total = 0.05.
    expect(result.eta2).toBeCloseTo(0.045 / 0.05, 12);
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
    expect(ranked[0]?.perGroup.map((g) => g.n)).toEqual([2, 2]);
  });

  it('gives every parameter the forest share beside η², with the runs it used', () => {
    // 12 scored runs (one more without an objective): the loss decides, the seed does not.
    const rows = Array.from({ length: 13 }, (_, i) => ({
      values: { loss: i % 2 === 0 ? 'ce' : 'paco', seed: i % 3 },
      objective: i === 12 ? null : (i % 2 === 0 ? 0.5 : 0.7) + 0.001 * (i % 3),
    }));
    const ranked = parameterImportance(['seed', 'loss'], rows);
    expect(ranked.map((p) => p.key)).toEqual(['loss', 'seed']);
    expect(ranked[0]?.model).toMatchObject({ note: null, n: 12 });
    expect(ranked[0]?.model.importance).toBeGreaterThan(0.9);
    expect(ranked[1]?.model.importance).toBeLessThan(0.1);
    // Three scored runs: η² from its groups, the forest's note instead of a value.
    expect(parameterImportance(['loss'], rows.slice(0, 3))[0]?.model).toMatchObject({
      importance: null,
      note: tooFewRuns(3),
      n: 3,
    });
  });

  it('ranks parameters it cannot estimate last, with the reason', () => {
    const rows = [
      { values: { loss: 'ce', beta: null }, objective: 0.5 },
      { values: { loss: 'bs', beta: null }, objective: 0.6 },
      { values: { loss: 'reslt', beta: 0.99 }, objective: 0.7 },
    ];
    const ranked = parameterImportance(['loss', 'beta'], rows);
    expect(ranked.map((p) => [p.key, p.importance === null ? p.note : 'η²'])).toEqual([
      ['beta', 'η²'],
      ['loss', ONE_RUN_PER_VALUE],
    ]);
  });
});
