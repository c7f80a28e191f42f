import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { importanceShares, permutationImportance } from './permutation-importance.js';
import { type ForestFeature, fitForest } from './random-forest.js';

/** y = 3·p1 + p2 + noise; p3 is drawn but never used. */
function synthetic(n: number, seed: number) {
  const rng = new Rng(seed);
  const columns = [0, 1, 2].map(() => Array.from({ length: n }, () => rng.uniform()));
  const [p1, p2] = columns as [number[], number[], number[]];
  const target = Float64Array.from(p1, (v, i) => 3 * v + (p2[i] as number) + rng.normal(0, 0.05));
  const features: ForestFeature[] = columns.map((values) => ({ kind: 'numeric', values: Float64Array.from(values) }));
  return { features, target };
}

function importance(seed: number) {
  const { features, target } = synthetic(60, seed);
  const forest = fitForest(features, target, { trees: 100, mtry: 3, minSplit: 5, sampleSize: 60 }, new Rng(seed));
  return permutationImportance(forest, features, target, 5, new Rng(seed + 1));
}

describe('out-of-bag permutation importance', () => {
  it('ranks a strong parameter over a weak one over an unused one, whose share is near 0', () => {
    for (const seed of [1, 2, 3]) {
      const result = importance(seed);
      const [p1, p2, p3] = importanceShares(result.increase) as [number, number, number];
      expect(p1).toBeGreaterThan(p2);
      expect(p2).toBeGreaterThan(p3);
      expect(p3).toBeLessThan(0.05);
      expect(result.r2).toBeGreaterThan(0.7);
      expect(result.scored).toBe(60);
    }
  });

  it('is deterministic for a seed', () => {
    expect(importance(7)).toEqual(importance(7));
  });

  it('reports the increase of the out-of-bag error, not a fixed scale', () => {
    // Doubling the target quadruples every squared error, and so every increase.
    const { features, target } = synthetic(40, 11);
    const options = { trees: 30, mtry: 3, minSplit: 5, sampleSize: 40 };
    const once = permutationImportance(
      fitForest(features, target, options, new Rng(1)),
      features,
      target,
      3,
      new Rng(2),
    );
    const doubled = target.map((v) => 2 * v);
    const twice = permutationImportance(
      fitForest(features, doubled, options, new Rng(1)),
      features,
      doubled,
      3,
      new Rng(2),
    );
    twice.increase.forEach((value, i) => {
      expect(value).toBeCloseTo(4 * (once.increase[i] as number), 9);
    });
    expect(twice.r2).toBeCloseTo(once.r2, 9);
  });

  it('turns increases into shares that sum to 1, negatives clipped at 0', () => {
    expect(importanceShares([3, 1, -0.5])).toEqual([0.75, 0.25, 0]);
    expect(importanceShares([-1, 0])).toEqual([0, 0]);
  });
});
