import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix.js';
import { meanClassAccuracy, perClassAccuracy } from './per-class.js';

describe('perClassAccuracy and confusionMatrix', () => {
  const labels = [0, 0, 0, 1, 1, 3];
  const predictions = [0, 1, 0, 1, 1, 0];

  it('computes per-class accuracy with NaN for absent classes', () => {
    const got = perClassAccuracy(predictions, labels, 4);
    expect(Array.from(got.support)).toEqual([3, 2, 0, 1]);
    expect(got.accuracy[0]).toBeCloseTo(2 / 3, 12);
    expect(got.accuracy[1]).toBe(1);
    expect(got.accuracy[2]).toBeNaN();
    expect(got.accuracy[3]).toBe(0);
    expect(meanClassAccuracy(got)).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
  });

  it('builds the confusion matrix rows = truth, columns = prediction', () => {
    const cm = confusionMatrix(predictions, labels, 4);
    expect(Array.from(cm.counts)).toEqual([2, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    let diagonal = 0;
    for (let c = 0; c < 4; c++) diagonal += cm.counts[c * 4 + c] as number;
    expect(diagonal).toBe(predictions.filter((p, i) => p === labels[i]).length);
  });

  it('rejects out-of-range predictions', () => {
    expect(() => confusionMatrix([0, 5], [0, 1], 4)).toThrow(/predictions\[1\] is 5/);
  });
});
