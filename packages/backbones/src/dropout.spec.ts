import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropout } from './dropout.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('dropout', () => {
  it('per channel (Dropout2d) zeroes whole NHWC feature maps and scales survivors by 1 / (1 - rate)', () => {
    tf.tidy(() => {
      const y = dropout(tf.ones([4, 3, 3, 16]) as tf.Tensor4D, 0.5, 7, true);
      const maps = tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [64, 9]).arraySync() as number[][];
      const kinds = new Set(
        maps.map((m) => (m.every((v) => v === 0) ? 'dropped' : m.every((v) => v === 2) ? 'kept' : 'mixed')),
      );
      expect(kinds.has('mixed')).toBe(false);
      expect(kinds).toEqual(new Set(['dropped', 'kept']));
    });
  });

  it('element-wise by default, and the same seed gives the same mask', () => {
    tf.tidy(() => {
      const a = dropout(tf.ones([8, 16]), 0.25, 3);
      const b = dropout(tf.ones([8, 16]), 0.25, 3);
      const c = dropout(tf.ones([8, 16]), 0.25, 4);
      const values = Array.from(a.dataSync());
      expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
      expect(Array.from(b.dataSync())).toEqual(values);
      expect(Array.from(c.dataSync())).not.toEqual(values);
    });
  });

  it('is the identity at rate 0', () => {
    tf.tidy(() => {
      expect(Array.from(dropout(tf.tensor1d([1, 2, 3]), 0, 1).dataSync())).toEqual([1, 2, 3]);
    });
  });
});
