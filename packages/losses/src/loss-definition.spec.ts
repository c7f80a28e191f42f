import { isLtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from './__fixtures__/backends.js';
import { thrown } from './__fixtures__/reference-math.js';
import { getLoss } from './registry.js';

describe('loss input validation', () => {
  useBackend('cpu');
  const ce = getLoss('cross-entropy');
  const logits = () => tf.tensor2d([[1, 2, 3]]);

  it('names wrong dtypes, unknown inputs and non-tensors by path, all at once', () => {
    tf.tidy(() => {
      const error = thrown(() =>
        ce.compute({ logits: logits(), labels: tf.tensor1d([1]), classWeight: tf.tensor1d([1, 1, 1]) }),
      );
      expect(isLtlabError(error) && error.code).toBe('CONFIG.INVALID');
      expect(String(error)).toContain('inputs.labels: expected dtype int32, got float32');
      expect(String(error)).toContain('inputs.classWeight: not an input');
      const notTensor = thrown(() => ce.compute({ logits: logits(), labels: [0] as unknown as tf.Tensor }));
      expect(String(notTensor)).toContain('inputs.labels: expected a tf.Tensor');
    });
  });

  it('checks shapes against each other', () => {
    tf.tidy(() => {
      const error = thrown(() => ce.compute({ logits: logits(), labels: tf.tensor1d([0, 1], 'int32') }));
      expect(String(error)).toContain('inputs.labels: expected shape [1], got [2]');
      const weights = thrown(() =>
        ce.compute({ logits: logits(), labels: tf.tensor1d([0], 'int32'), classWeights: tf.tensor1d([1, 1]) }),
      );
      expect(String(weights)).toContain('inputs.classWeights: expected shape [3], got [2]');
    });
  });

  it('treats null and absent optional inputs alike, and disposes its intermediates', () => {
    tf.tidy(() => {
      const base = { logits: logits(), labels: tf.tensor1d([2], 'int32') };
      const before = tf.memory().numTensors;
      const withNull = ce.compute({ ...base, classWeights: null });
      const absent = ce.compute(base);
      expect(withNull.dataSync()[0]).toBe(absent.dataSync()[0]);
      expect(tf.memory().numTensors).toBe(before + 2);
    });
  });
});
