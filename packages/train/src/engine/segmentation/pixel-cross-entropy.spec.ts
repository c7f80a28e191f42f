import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pixelCrossEntropy } from './pixel-cross-entropy.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

// One image of 1 x 3 pixels, 2 classes: logits (0, ln 3) -> p = (1/4, 3/4); (ln 2, 0) -> (2/3, 1/3).
const LOGITS = [
  [
    [0, Math.log(3)],
    [Math.log(2), 0],
    [5, -5],
  ],
];

describe('pixelCrossEntropy', () => {
  it('averages over every label pixel, the ignored ones counted in the denominator (mmsegmentation 0.17)', () => {
    tf.tidy(() => {
      const logits = tf.tensor4d([LOGITS]);
      // Labels 1, 0 and ignored: (-ln 3/4 - ln 2/3) / 3, not / 2.
      const loss = pixelCrossEntropy(logits, tf.tensor3d([[[1, 0, 255]]], undefined, 'int32'));
      expect(loss.dataSync()[0]).toBeCloseTo((Math.log(4 / 3) + Math.log(3 / 2)) / 3, 6);
      const all = pixelCrossEntropy(logits, tf.tensor3d([[[255, 255, 255]]], undefined, 'int32'));
      expect(Math.abs(all.dataSync()[0] as number)).toBe(0);
    });
  });

  it('sends no gradient to ignored pixels and the softmax gradient / (B H W) to the others', () => {
    tf.tidy(() => {
      const labels = tf.tensor3d([[[1, 0, 255]]], undefined, 'int32');
      const grad = tf.grad((z: tf.Tensor) => pixelCrossEntropy(z as tf.Tensor4D, labels))(tf.tensor4d([LOGITS]));
      const rows = (grad.arraySync() as number[][][][])[0]?.[0] as number[][];
      // (p - onehot) / 3 per labelled pixel.
      expect(rows[0]?.[0]).toBeCloseTo(0.25 / 3, 6);
      expect(rows[0]?.[1]).toBeCloseTo(-0.25 / 3, 6);
      expect(rows[1]?.[0]).toBeCloseTo(-1 / 9, 6);
      expect(rows[1]?.[1]).toBeCloseTo(1 / 9, 6);
      expect(rows[2]?.map(Math.abs)).toEqual([0, 0]);
    });
  });

  it('refuses logits that are not at the label size', () => {
    tf.tidy(() => {
      expect(() => pixelCrossEntropy(tf.zeros([1, 2, 2, 3]), tf.zeros([1, 4, 4], 'int32'))).toThrow(
        expect.objectContaining({ code: 'CONFIG.INVALID' }),
      );
    });
  });
});
