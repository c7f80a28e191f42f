import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAlongAxis } from './axis-matrix.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('applyAlongAxis', () => {
  it('mixes rows (axis 1) or columns (axis 2) of every image and channel, and back-propagates M^T', () => {
    tf.tidy(() => {
      // x[b][r][c][k] = 100 b + 10 r + c + 0.5 k on a [2, 2, 3, 2] map; M sums and differences.
      const values = Array.from({ length: 24 }, (_, i) => {
        const [b, r, c, k] = [Math.floor(i / 12), Math.floor(i / 6) % 2, Math.floor(i / 2) % 3, i % 2];
        return 100 * b + 10 * r + c + 0.5 * k;
      });
      const x = tf.tensor4d(values, [2, 2, 3, 2]);
      const rows = applyAlongAxis(x, 1, tf.tensor2d([1, 1, -1, 1, 2, 0], [3, 2]));
      expect(rows.shape).toEqual([2, 3, 3, 2]);
      const at = (t: tf.Tensor, ...idx: number[]) =>
        (t.arraySync() as number[][][][])[idx[0] as number]?.[idx[1] as number]?.[idx[2] as number]?.[idx[3] as number];
      // Row 0 = x[r0] + x[r1]; row 1 = x[r1] - x[r0] = 10; row 2 = 2 x[r0].
      expect(at(rows, 1, 0, 2, 1)).toBeCloseTo(100 + 2 + 0.5 + 110 + 2 + 0.5, 5);
      expect(at(rows, 0, 1, 1, 0)).toBeCloseTo(10, 5);
      expect(at(rows, 1, 2, 1, 1)).toBeCloseTo(2 * (100 + 1 + 0.5), 5);
      const columns = applyAlongAxis(x, 2, tf.tensor2d([0, 0, 1, 1, 0, 0], [2, 3]));
      expect(columns.shape).toEqual([2, 2, 2, 2]);
      expect(at(columns, 1, 1, 0, 0)).toBeCloseTo(110 + 2, 5); // column 2
      expect(at(columns, 1, 1, 1, 1)).toBeCloseTo(110 + 0 + 0.5, 5); // column 0
      const grad = tf.grad((input: tf.Tensor) =>
        tf.sum(applyAlongAxis(input as tf.Tensor4D, 1, tf.tensor2d([1, 1, -1, 1, 2, 0], [3, 2]))),
      )(x);
      // d/dx[r0] = 1 - 1 + 2 = 2, d/dx[r1] = 1 + 1 + 0 = 2... per column sums of M.
      expect(new Set(Array.from(grad.dataSync()))).toEqual(new Set([2]));
    });
  });
});
