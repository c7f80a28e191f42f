import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeEveryOther } from './pooling.js';

describe.each(['cpu', 'wasm'] as const)('takeEveryOther on %s', (backend) => {
  beforeAll(async () => {
    await initRuntime({ backend });
  });

  it('equals x[:, ::2, ::2, :] for even and odd sizes, with the matching gradient', () => {
    for (const [h, w] of [
      [4, 6],
      [5, 7],
    ] as const) {
      const values = Array.from({ length: 2 * h * w * 3 }, (_, i) => i - 40);
      const x = tf.tensor4d(values, [2, h, w, 3]);
      const expected: number[] = [];
      for (let n = 0; n < 2; n++)
        for (let r = 0; r < h; r += 2)
          for (let c = 0; c < w; c += 2)
            for (let k = 0; k < 3; k++) expected.push(values[((n * h + r) * w + c) * 3 + k] as number);
      const y = takeEveryOther(x);
      expect(y.shape).toEqual([2, Math.ceil(h / 2), Math.ceil(w / 2), 3]);
      expect(Array.from(y.dataSync())).toEqual(expected);
      // The gradient routes 1 to every picked pixel and 0 elsewhere.
      const grad = tf.grad((t: tf.Tensor) => tf.sum(takeEveryOther(t as tf.Tensor4D)))(x);
      const picked = Array.from(grad.dataSync()).reduce((a, b) => a + b, 0);
      expect(picked).toBe(expected.length);
      tf.dispose([x, y, grad]);
    }
  });
});
