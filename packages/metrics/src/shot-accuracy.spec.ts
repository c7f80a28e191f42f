import { readGolden } from '@ltlab/golden';
import { describe, expect, it } from 'vitest';
import { shotAccuracy } from './shot-accuracy.js';
import { SHOT_THRESHOLDS, shotGroupOf, shotGroupSizes } from './shot-thresholds.js';

interface ShotCase {
  name: string;
  options: { manyThreshold: number; fewThreshold: number };
  inputs: { trainCounts: number[]; labels: number[]; predictions: number[] };
  expected: { many: number; medium: number; few: number; overall: number };
}

describe('shotAccuracy against shot_accuracy.json', () => {
  const golden = readGolden('shot_accuracy') as { cases: ShotCase[] };
  it('has cases', () => expect(golden.cases.length).toBeGreaterThanOrEqual(3));
  for (const c of golden.cases) {
    it(c.name, () => {
      expect(SHOT_THRESHOLDS.many).toBe(c.options.manyThreshold);
      expect(SHOT_THRESHOLDS.few).toBe(c.options.fewThreshold);
      const got = shotAccuracy(c.inputs);
      for (const key of ['many', 'medium', 'few', 'overall'] as const) {
        expect(got[key]).toBeCloseTo(c.expected[key], 12);
      }
    });
  }
});

describe('shot groups', () => {
  it('puts the thresholds on the documented sides', () => {
    expect([101, 100, 20, 19].map((n) => shotGroupOf(n))).toEqual(['many', 'medium', 'medium', 'few']);
  });

  it('matches the group sizes of cifar_lt_counts.json', () => {
    const golden = readGolden('cifar_lt_counts') as {
      datasets: Record<string, Record<string, { counts: number[]; groupSizes: Record<string, number> }>>;
    };
    let checked = 0;
    for (const byRatio of Object.values(golden.datasets)) {
      for (const entry of Object.values(byRatio)) {
        expect(shotGroupSizes(entry.counts)).toEqual(entry.groupSizes);
        checked++;
      }
    }
    expect(checked).toBe(6);
  });

  it('reports an empty group as 0 and counts the evaluated classes', () => {
    const got = shotAccuracy({ trainCounts: [500, 50], labels: [0, 1, 1], predictions: [0, 1, 0] });
    expect(got.few).toBe(0);
    expect(got.classesEvaluated).toEqual({ many: 1, medium: 1, few: 0 });
    expect(got.medium).toBeCloseTo(0.5, 12);
  });
});
