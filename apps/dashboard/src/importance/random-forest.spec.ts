import { Rng } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { type ForestFeature, type ForestOptions, fitForest, predictForest } from './random-forest.js';

const OPTIONS = (n: number): ForestOptions => ({ trees: 50, mtry: 1, minSplit: 2, sampleSize: n });
const numeric = (values: number[]): ForestFeature => ({ kind: 'numeric', values: Float64Array.from(values) });
const reader = (features: readonly ForestFeature[], row: number) => (feature: number) =>
  features[feature]?.values[row] as number;

describe('random forest regressor', () => {
  it('fits a step function and stays within the data on a smooth one', () => {
    const x = Array.from({ length: 40 }, (_, i) => i / 40);
    const step = x.map((v) => (v < 0.5 ? 1 : 3));
    const features = [numeric(x)];
    const forest = fitForest(features, Float64Array.from(step), OPTIONS(40), new Rng(1));
    expect(predictForest(forest, () => 0.1)).toBeCloseTo(1, 6);
    expect(predictForest(forest, () => 0.9)).toBeCloseTo(3, 6);

    const line = x.map((v) => 2 * v);
    const lineForest = fitForest(features, Float64Array.from(line), OPTIONS(40), new Rng(1));
    const errors = x.map((v, row) => Math.abs(predictForest(lineForest, reader(features, row)) - 2 * v));
    expect(Math.max(...errors)).toBeLessThan(0.15);
    // A tree predicts means of training targets: never outside their range.
    expect(predictForest(lineForest, () => 10)).toBeLessThanOrEqual(2 * (39 / 40));
  });

  it('splits categories by their mean, and treats a missing numeric value as its own value', () => {
    // Codes 0 and 2 share a mean, 1 and 3 another: one subset split separates them.
    const codes = Array.from({ length: 32 }, (_, i) => i % 4);
    const y = codes.map((c) => (c % 2 === 0 ? 5 : -5));
    const features: ForestFeature[] = [{ kind: 'categorical', values: Int32Array.from(codes), levels: 4 }];
    const forest = fitForest(features, Float64Array.from(y), OPTIONS(32), new Rng(2));
    for (const code of [0, 1, 2, 3]) expect(predictForest(forest, () => code)).toBeCloseTo(code % 2 === 0 ? 5 : -5, 6);

    const withMissing = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? Number.NaN : i));
    const target = withMissing.map((v) => (Number.isNaN(v) ? 10 : 0));
    const missingForest = fitForest([numeric(withMissing)], Float64Array.from(target), OPTIONS(30), new Rng(3));
    expect(predictForest(missingForest, () => Number.NaN)).toBeCloseTo(10, 6);
    expect(predictForest(missingForest, () => 7)).toBeCloseTo(0, 6);
  });

  it('is deterministic for a seed and differs for another', () => {
    const rng = new Rng(9);
    const x = Array.from({ length: 30 }, () => rng.uniform());
    const y = Float64Array.from(x, (v) => Math.sin(6 * v) + rng.normal(0, 0.3));
    const features = [numeric(x)];
    const predict = (seed: number) => {
      const forest = fitForest(features, y, OPTIONS(30), new Rng(seed));
      return [0.05, 0.3, 0.55, 0.8].map((v) => predictForest(forest, () => v));
    };
    expect(predict(5)).toEqual(predict(5));
    expect(predict(5)).not.toEqual(predict(6));
  });

  it('leaves the rows outside each bootstrap sample out of bag', () => {
    const forest = fitForest(
      [numeric([1, 2, 3, 4, 5, 6, 7, 8])],
      Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      OPTIONS(8),
      new Rng(4),
    );
    const outOfBag = forest.trees.map((tree) => tree.outOfBag.length);
    // 8 draws with replacement from 8 leave (7/8)^8 ≈ 34% out on average.
    const share = outOfBag.reduce((sum, k) => sum + k, 0) / (8 * forest.trees.length);
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.5);
  });
});
