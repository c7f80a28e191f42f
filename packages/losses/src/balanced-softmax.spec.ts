import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { getLoss } from './registry.js';

const LOGITS = [
  [1.0, -0.5, 0.3],
  [0.2, 0.9, -1.1],
];
const LABELS = [2, 0];

describe.each(BACKENDS)('balanced-softmax on %s', (backend) => {
  useBackend(backend);
  const run = (name: string, counts: number[], options: Record<string, unknown> = {}) =>
    tf.tidy(
      () =>
        getLoss(name)
          .compute(
            {
              logits: tf.tensor2d(LOGITS),
              labels: tf.tensor1d(LABELS, 'int32'),
              classCounts: tf.tensor1d(counts, 'int32'),
            },
            options,
          )
          .dataSync()[0] as number,
    );

  it('equals logit-adjusted CE with tau = 1 (log n and log pi differ by a constant)', () => {
    expect(close(run('balanced-softmax', [500, 40, 3]), run('logit-adjusted-ce', [500, 40, 3], { tau: 1 }))).toBe(true);
  });

  it('is plain cross-entropy when every class has the same count', () => {
    const plain = tf.tidy(
      () =>
        getLoss('cross-entropy')
          .compute({ logits: tf.tensor2d(LOGITS), labels: tf.tensor1d(LABELS, 'int32') })
          .dataSync()[0] as number,
    );
    expect(close(run('balanced-softmax', [7, 7, 7]), plain)).toBe(true);
  });

  it('favours rare classes: a tail label costs more than under plain CE', () => {
    expect(run('balanced-softmax', [1, 1000, 1000])).toBeGreaterThan(run('balanced-softmax', [7, 7, 7]));
  });
});
