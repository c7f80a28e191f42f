import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { logSoftmaxRow, mean } from './__fixtures__/reference-math.js';
import { getLoss } from './registry.js';

const LOGITS = [
  [1.2, -0.3, 0.5],
  [0.1, 0.4, -1.5],
  [-0.7, 2.2, 0.3],
];
const LABELS = [0, 2, 1];
const WEIGHTS = [0.5, 2.0, 1.5];

/** LDAM-DRW FocalLoss in float64: p = exp(-w ce), mean of (1 - p)^gamma * w ce. */
function reference(gamma: number, weights: readonly number[] | null): number {
  return mean(
    LOGITS.map((row, i) => {
      const y = LABELS[i] as number;
      const ce = -(logSoftmaxRow(row)[y] as number) * (weights === null ? 1 : (weights[y] as number));
      return (1 - Math.exp(-ce)) ** gamma * ce;
    }),
  );
}

describe.each(BACKENDS)('focal on %s', (backend) => {
  useBackend(backend);
  const focal = getLoss('focal');
  const inputs = (weights: readonly number[] | null, logits = LOGITS) => ({
    logits: tf.tensor2d(logits),
    labels: tf.tensor1d(LABELS, 'int32'),
    classWeights: weights === null ? null : tf.tensor1d([...weights]),
  });

  it.each([0, 0.5, 1, 2])('matches the reference with gamma %s, weighted and unweighted', (gamma) => {
    for (const weights of [null, WEIGHTS]) {
      const loss = tf.tidy(() => focal.compute(inputs(weights), { gamma }).dataSync()[0] as number);
      expect(close(loss, reference(gamma, weights))).toBe(true);
    }
  });

  it('takes the plain mean with weights, unlike the weighted mean of cross-entropy', () => {
    tf.tidy(() => {
      const focal0 = focal.compute(inputs(WEIGHTS), { gamma: 0 }).dataSync()[0] as number;
      const weightedCe = getLoss('cross-entropy').compute(inputs(WEIGHTS), {}).dataSync()[0] as number;
      expect(Math.abs(focal0 - weightedCe)).toBeGreaterThan(0.1);
    });
  });

  it('keeps a zero, finite gradient where p rounds to 1, even for gamma < 1', () => {
    const confident = LABELS.map((y) => [0, 1, 2].map((c) => (c === y ? 60 : -60)));
    tf.tidy(() => {
      const grad = tf.grad((logits: tf.Tensor) => focal.compute({ ...inputs(null), logits }, { gamma: 0.5 }))(
        tf.tensor2d(confident),
      );
      expect(Array.from(grad.dataSync()).every((v) => v === 0)).toBe(true);
    });
  });
});
