import { describe, expect, it } from 'vitest';
import { argmaxRows } from './inputs.js';
import { topKAccuracy } from './top-k.js';

describe('topKAccuracy', () => {
  const scores = {
    numClasses: 4,
    // rows: label ranks 1st, 2nd, 3rd, 4th
    data: new Float32Array([0.9, 0.05, 0.03, 0.02, 0.1, 0.6, 0.2, 0.1, 0.5, 0.1, 0.3, 0.1, 0.4, 0.3, 0.2, 0.1]),
  };
  const labels = [0, 2, 3, 3];

  it('counts the label among the k best scores', () => {
    expect(topKAccuracy(scores, labels, 1)).toBe(0.25);
    expect(topKAccuracy(scores, labels, 2)).toBe(0.5);
    // row 3: label 3 ties with class 1 (0.1): the lower index ranks first, so label 3 is 4th.
    expect(topKAccuracy(scores, labels, 3)).toBe(0.5);
    expect(topKAccuracy(scores, labels, 4)).toBe(1);
  });

  it('agrees with argmax for k = 1', () => {
    const pred = argmaxRows(scores);
    expect(Array.from(pred)).toEqual([0, 1, 0, 0]);
  });

  it('rejects mismatched shapes and bad labels', () => {
    expect(() => topKAccuracy(scores, [0, 1], 1)).toThrow(/4 score rows but 2 labels/);
    expect(() => topKAccuracy(scores, [0, 1, 2, 4], 1)).toThrow(/labels\[3\] is 4/);
    expect(() => topKAccuracy({ numClasses: 3, data: [1, 2, 3, 4] }, [0], 1)).toThrow(/whole number of rows/);
  });
});
