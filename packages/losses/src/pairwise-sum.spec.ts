import { Rng } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './__fixtures__/backends.js';
import { pairwiseSum, pairwiseSumAxis0 } from './pairwise-sum.js';

describe.each(BACKENDS)('pairwiseSum on %s', (backend) => {
  useBackend(backend);

  it('sums small integer inputs exactly, odd and even lengths alike', () => {
    for (const length of [1, 2, 3, 7, 16, 33]) {
      const values = Array.from({ length }, (_, i) => (i * 7) % 11);
      const sum = tf.tidy(() => pairwiseSum(tf.tensor1d(values)).dataSync()[0]);
      expect(sum).toBe(values.reduce((a, b) => a + b, 0));
    }
    expect(tf.tidy(() => pairwiseSum(tf.tensor1d([])).dataSync()[0])).toBe(0);
  });

  it('reduces axis 0 only, keeping the other axes', () => {
    tf.tidy(() => {
      const rows = pairwiseSumAxis0(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]));
      expect(rows.shape).toEqual([2, 2]);
      expect(Array.from(rows.dataSync())).toEqual([15, 18, 21, 24]);
    });
  });

  it('has a gradient of ones', () => {
    tf.tidy(() => {
      const grad = tf.grad((x: tf.Tensor) => pairwiseSum(x))(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]));
      expect(Array.from(grad.dataSync())).toEqual(Array.from({ length: 10 }, () => 1));
    });
  });

  it('keeps the float32 error of a long positive sum near float32 rounding', () => {
    const rng = new Rng('pairwise-sum');
    const values = Float32Array.from({ length: 2 ** 17 + 5 }, () => rng.uniform());
    const exact = values.reduce((a, b) => a + b, 0);
    const sum = tf.tidy(() => pairwiseSum(tf.tensor1d(values)).dataSync()[0] as number);
    // A running float32 sum of these drifts by ~2e-5 relative; log2(n) = 17 roundings bound this.
    expect(Math.abs(sum - exact)).toBeLessThan(17 * 2 ** -24 * exact);
  });
});
