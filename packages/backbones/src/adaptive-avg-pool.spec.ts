import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptiveAvgPool, adaptivePoolMatrix } from './adaptive-avg-pool.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('adaptive average pooling (PyTorch bins)', () => {
  it('uses overlapping bins floor(i n / b) .. ceil((i + 1) n / b) when b does not divide n', () => {
    // 5 rows into 3 bins: [0, 2), [1, 4), [3, 5).
    const m = Array.from(adaptivePoolMatrix(5, 3));
    const h = 1 / 2;
    const t = 1 / 3;
    const expected = [h, h, 0, 0, 0, 0, t, t, t, 0, 0, 0, 0, h, h];
    m.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
  });

  it('pools both axes: a 5x4 map to 3x2 bins, and to 1x1 (the mean)', () => {
    tf.tidy(() => {
      const values = Array.from({ length: 20 }, (_, i) => i); // x[r][c] = 4r + c
      const x = tf.tensor4d(values, [1, 5, 4, 1]);
      const pooled = adaptiveAvgPool(x, 2);
      expect(pooled.shape).toEqual([1, 2, 2, 1]);
      // 5 rows into 2 bins: [0, 3), [2, 5) -> mean rows 1 and 3; 4 columns: [0, 2), [2, 4) -> 0.5, 2.5.
      const expected = [4 * 1 + 0.5, 4 * 1 + 2.5, 4 * 3 + 0.5, 4 * 3 + 2.5];
      Array.from(pooled.dataSync()).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i] as number, 5);
      });
      expect(adaptiveAvgPool(x, 1).dataSync()[0]).toBeCloseTo(9.5, 5);
      const wide = adaptiveAvgPool(tf.tensor4d(values, [1, 5, 4, 1]), 3);
      // Row bins [0,2) [1,4) [3,5) -> mean rows 0.5, 2, 3.5; column bins [0,2) [1,3) [2,4) -> 0.5, 1.5, 2.5.
      expect(wide.arraySync()[0]?.[1]?.[2]?.[0]).toBeCloseTo(4 * 2 + 2.5, 5);
      expect(wide.arraySync()[0]?.[2]?.[0]?.[0]).toBeCloseTo(4 * 3.5 + 0.5, 5);
    });
  });

  it('keeps batch and channels apart', () => {
    tf.tidy(() => {
      const x = tf.concat([tf.ones([1, 4, 4, 1]), tf.fill([1, 4, 4, 1], 3)], 3);
      const both = tf.concat([x, tf.mul(x, -1)], 0) as tf.Tensor4D;
      expect(Array.from(adaptiveAvgPool(both, 1).dataSync())).toEqual([1, 3, -1, -3]);
    });
  });
});
