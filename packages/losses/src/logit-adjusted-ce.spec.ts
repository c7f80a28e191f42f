import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { logSoftmaxRow, mean } from './__fixtures__/reference-math.js';
import { getLoss } from './registry.js';

const LOGITS = [
  [1.0, -0.5, 0.3],
  [0.2, 0.9, -1.1],
];
const LABELS = [1, 0];
const COUNTS = [600, 30, 2];

describe.each(BACKENDS)('logit-adjusted-ce on %s', (backend) => {
  useBackend(backend);
  const run = (tau: number) =>
    tf.tidy(
      () =>
        getLoss('logit-adjusted-ce')
          .compute(
            {
              logits: tf.tensor2d(LOGITS),
              labels: tf.tensor1d(LABELS, 'int32'),
              classCounts: tf.tensor1d(COUNTS, 'int32'),
            },
            { tau },
          )
          .dataSync()[0] as number,
    );

  it.each([0, 0.5, 1, 2])('adds tau * log(pi) to the logits (tau %s)', (tau) => {
    const total = COUNTS.reduce((a, b) => a + b, 0);
    const expected = mean(
      LOGITS.map((row, i) => {
        const adjusted = row.map((v, c) => v + tau * Math.log((COUNTS[c] as number) / total));
        return -(logSoftmaxRow(adjusted)[LABELS[i] as number] as number);
      }),
    );
    expect(close(run(tau), expected)).toBe(true);
  });

  it('defaults to tau = 1', () => {
    const byDefault = tf.tidy(
      () =>
        getLoss('logit-adjusted-ce')
          .compute({
            logits: tf.tensor2d(LOGITS),
            labels: tf.tensor1d(LABELS, 'int32'),
            classCounts: tf.tensor1d(COUNTS, 'int32'),
          })
          .dataSync()[0] as number,
    );
    expect(byDefault).toBe(run(1));
  });
});
