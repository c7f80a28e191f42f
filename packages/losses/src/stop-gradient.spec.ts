import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './__fixtures__/backends.js';
import { stopGradient } from './stop-gradient.js';

describe.each(BACKENDS)('stopGradient on %s', (backend) => {
  useBackend(backend);

  it('passes the value and blocks the gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, -2, 3]);
      expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
      // d/dx (x * x - sg(x) * x) = 2x - sg(x) = x.
      const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.sub(tf.mul(v, v), tf.mul(stopGradient(v), v))))(x);
      expect(Array.from(grad.dataSync())).toEqual([1, -2, 3]);
    });
  });
});
