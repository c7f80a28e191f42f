import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { logSoftmaxRow } from './__fixtures__/reference-math.js';
import { getLoss } from './registry.js';

const LOGITS = [
  [1.2, -0.3, 0.5, 2.0],
  [0.1, 0.4, -1.5, 0.0],
  [-0.7, 2.2, 0.3, 1.1],
];
const LABELS = [3, 1, 0];
const WEIGHTS = [0.5, 2.0, 1.0, 0.25];

/** PyTorch's CrossEntropyLoss(weight, label_smoothing) with mean reduction, in float64. */
function reference(eps: number, weights: readonly number[] | null): number {
  const w = (c: number) => (weights === null ? 1 : (weights[c] as number));
  let nll = 0;
  let smooth = 0;
  let norm = 0;
  LOGITS.forEach((row, i) => {
    const logp = logSoftmaxRow(row);
    const y = LABELS[i] as number;
    nll += -w(y) * (logp[y] as number);
    smooth += -logp.reduce((sum, v, c) => sum + w(c) * v, 0);
    norm += w(y);
  });
  return (1 - eps) * (nll / norm) + (eps / 4) * (smooth / norm);
}

describe.each(BACKENDS)('cross-entropy on %s', (backend) => {
  useBackend(backend);
  const ce = getLoss('cross-entropy');
  const run = (options: { labelSmoothing?: number }, weights: number[] | null) =>
    tf.tidy(() => {
      const inputs = {
        logits: tf.tensor2d(LOGITS),
        labels: tf.tensor1d(LABELS, 'int32'),
        classWeights: weights === null ? null : tf.tensor1d(weights),
      };
      return ce.compute(inputs, options).dataSync()[0] as number;
    });

  it.each([
    [0, null],
    [0.1, null],
    [0, WEIGHTS],
    [0.2, WEIGHTS],
  ] as const)('matches PyTorch semantics with label smoothing %s and weights %j', (eps, weights) => {
    const w = weights === null ? null : [...weights];
    expect(close(run({ labelSmoothing: eps }, w), reference(eps, w))).toBe(true);
  });

  it('defaults to no smoothing', () => {
    expect(run({}, null)).toBe(run({ labelSmoothing: 0 }, null));
  });
});
