import { isLtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKENDS, close, useBackend } from './__fixtures__/backends.js';
import { type PacoReferenceCase, pacoReference } from './__fixtures__/paco-reference.js';
import { getLoss } from './registry.js';

// The worked example of docs/methods.md §8.6: B = 2, K = 2, d = 2, C = 3.
const FEATURES = [
  [1, 0],
  [0, 1],
  [0.6, 0.8],
  [0.8, -0.6],
  [-1, 0],
  [0.28, 0.96],
];
const LABELS = [0, 1, 0, 1, 0, 2];
const LOGITS = [
  [2.0, 0.5, -1.0],
  [0.1, 1.5, 0.3],
];
const COUNTS = [6, 3, 1];

function inputs(features: tf.Tensor = tf.tensor2d(FEATURES), logits: tf.Tensor = tf.tensor2d(LOGITS)) {
  return { features, labels: tf.tensor1d(LABELS, 'int32'), logits, classCounts: tf.tensor1d(COUNTS, 'int32') };
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(BACKENDS)('paco on %s', (backend) => {
  useBackend(backend);
  const paco = getLoss('paco');

  it('gives 4.11595 on the worked example (docs/methods.md §8.6), case A, with its gradients', () => {
    tf.tidy(() => {
      const f = (features: tf.Tensor, logits: tf.Tensor) =>
        paco.compute(inputs(features, logits), { alpha: 0.05, beta: 1, gamma: 1, temperature: 0.2 });
      const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(FEATURES), tf.tensor2d(LOGITS)]);
      const loss = value.dataSync()[0] as number;
      expect(loss.toFixed(5)).toBe('4.11595');
      expect(close(loss, 4.115953858851973)).toBe(true);
      const dq = Array.from(tf.slice(grads[0] as tf.Tensor, [0], [2]).dataSync());
      const expectedDq = [1.7234811865721014, -0.42521377133581834, 0.8608034189929881, 2.2940826465061677];
      expect(dq.every((v, i) => close(v, expectedDq[i] as number))).toBe(true);
      const dS = Array.from((grads[1] as tf.Tensor).dataSync());
      const expectedDs = [
        -0.4283773329778028, 0.0029194529795129806, 0.00021713933840244277, 0.0018388771200139931, -0.47246199059147487,
        0.00037433493416991144,
      ];
      expect(dS.every((v, i) => close(v, expectedDs[i] as number))).toBe(true);
    });
  });

  it('reduces to Balanced-Softmax CE with alpha = 0 and gamma = 0 (docs/methods.md §8.5)', () => {
    tf.tidy(() => {
      const pacoLoss = paco
        .compute(inputs(), { alpha: 0, beta: 1, gamma: 0, temperature: 0.2 })
        .dataSync()[0] as number;
      const { logits, labels, classCounts } = inputs();
      const adjusted = getLoss('logit-adjusted-ce').compute(
        { logits, labels: tf.slice(labels, [0], [2]), classCounts },
        { tau: 1 },
      );
      const adjustedLoss = adjusted.dataSync()[0] as number;
      expect(close(pacoLoss, 0.289598438152763)).toBe(true);
      expect(Math.abs(pacoLoss - adjustedLoss)).toBeLessThan(1e-6);
    });
  });

  // T = 0.05 and gamma = 0: the denominator is about 3 e^-20, so the 1e-12 after the shift moves the
  // loss by 1.6e-4 and the detached max moves the gradient by up to 4.5e-3. The float64 reference
  // shows both effects; the implementation must follow it, not the epsilon-free closed form.
  const corner: PacoReferenceCase = {
    features: FEATURES,
    labels: LABELS,
    logits: LOGITS,
    classCounts: COUNTS,
    alpha: 0.05,
    beta: 1,
    gamma: 0,
    temperature: 0.05,
  };
  const cornerOptions = { alpha: 0.05, beta: 1, gamma: 0, temperature: 0.05 };

  it('adds 1e-12 inside the log after the max shift (epsilon-dominated corner)', () => {
    const withEpsilon = pacoReference(corner).loss;
    const withoutEpsilon = pacoReference({ ...corner, logEpsilon: 0 }).loss;
    expect(Math.abs(withEpsilon - withoutEpsilon)).toBeGreaterThan(1e-4);
    const loss = tf.tidy(() => paco.compute(inputs(), cornerOptions).dataSync()[0] as number);
    expect(Math.abs(loss - withEpsilon)).toBeLessThan(2e-6);
  });

  it('treats the row max as a constant: gradients of the detached-max loss, through both roles of q', () => {
    const { rowMax } = pacoReference(corner);
    const h = 1e-6;
    const numeric = (fixedMax: number[] | undefined) =>
      FEATURES.slice(0, 2).flatMap((row, i) =>
        row.map((_, d) => {
          const shift = (delta: number) =>
            FEATURES.map((r, j) => r.map((v, e) => (j === i && e === d ? v + delta : v)));
          const plus = pacoReference({ ...corner, features: shift(h) }, fixedMax).loss;
          const minus = pacoReference({ ...corner, features: shift(-h) }, fixedMax).loss;
          return (plus - minus) / (2 * h);
        }),
      );
    const detached = numeric(rowMax);
    const exact = numeric(undefined);
    expect(Math.max(...detached.map((v, i) => Math.abs(v - (exact[i] as number))))).toBeGreaterThan(1e-3);
    const dq = tf.tidy(() => {
      const grad = tf.grad((features: tf.Tensor) => paco.compute(inputs(features), cornerOptions))(
        tf.tensor2d(FEATURES),
      );
      return Array.from(tf.slice(grad, [0], [2]).dataSync());
    });
    expect(Math.max(...dq.map((v, i) => Math.abs(v - (detached[i] as number))))).toBeLessThan(1e-5);
  });

  it('rejects a features block that is not [q; k; queue] for the given queueSize', () => {
    tf.tidy(() => {
      const error = caught(() => paco.compute(inputs(), { queueSize: 3 }));
      expect(isLtlabError(error) && error.code).toBe('CONFIG.INVALID');
      expect(String(error)).toContain('inputs.features');
      const oddRows = caught(() =>
        paco.compute({
          ...inputs(tf.tensor2d(FEATURES.slice(0, 3))),
          labels: tf.tensor1d(LABELS.slice(0, 3), 'int32'),
        }),
      );
      expect(String(oddRows)).toContain('2B + K rows');
    });
  });

  it('names a missing input by its path', () => {
    const { labels: _labels, ...rest } = inputs();
    const error = caught(() => paco.compute(rest));
    expect(isLtlabError(error) && error.code).toBe('CONFIG.INVALID');
    expect(String(error)).toContain('inputs.labels');
    tf.dispose(Object.values(rest));
    _labels.dispose();
  });
});
