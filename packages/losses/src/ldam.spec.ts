import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { logSoftmaxRow, mean } from './__fixtures__/reference-math.js';
import { ldamMargins } from './ldam.js';
import { getLoss } from './registry.js';

const COUNTS = [1000, 100, 10, 1];

describe.each(BACKENDS)('ldam on %s', (backend) => {
  useBackend(backend);

  it('gives the rarest class maxM and the others maxM * (n_min / n_c)^(1/4)', () => {
    const margins = tf.tidy(() => Array.from(ldamMargins(tf.tensor1d(COUNTS, 'int32'), 0.5).dataSync()));
    const expected = COUNTS.map((n) => 0.5 * (1 / n) ** 0.25);
    expect(margins.every((m, c) => close(m, expected[c] as number))).toBe(true);
    expect(margins[3]).toBeCloseTo(0.5, 7);
  });

  it('subtracts the margin from the true logit only, then scales by s', () => {
    const logits = [
      [0.2, -0.1, 0.4, 0.0],
      [-0.3, 0.5, 0.1, 0.2],
    ];
    const labels = [3, 1];
    const expected = mean(
      logits.map((row, i) => {
        const y = labels[i] as number;
        const shifted = row.map((v, c) => (c === y ? v - 0.5 * (1 / (COUNTS[c] as number)) ** 0.25 : v) * 10);
        return -(logSoftmaxRow(shifted)[y] as number);
      }),
    );
    const loss = tf.tidy(
      () =>
        getLoss('ldam')
          .compute(
            {
              logits: tf.tensor2d(logits),
              labels: tf.tensor1d(labels, 'int32'),
              classCounts: tf.tensor1d(COUNTS, 'int32'),
            },
            { maxM: 0.5, s: 10 },
          )
          .dataSync()[0] as number,
    );
    expect(close(loss, expected)).toBe(true);
  });
});
