/**
 * Balanced Softmax: Ren et al., "Balanced Meta-Softmax for Long-Tailed Visual Recognition",
 * NeurIPS 2020, Eq. 4: softmax over z_c + log n_c, i.e. L = mean_i CE(z_i + log n, y_i)
 * (log n_c equals log pi_c plus a constant that the softmax cancels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkClassification } from './classification-inputs.js';
import { perSampleCrossEntropy } from './label-log-prob.js';
import { defineLoss, NOTHING_REQUIRED } from './loss-definition.js';

export const balancedSoftmaxOptionsSchema = z.strictObject({});
export type BalancedSoftmaxOptions = z.output<typeof balancedSoftmaxOptionsSchema>;

export interface BalancedSoftmaxInputs {
  logits: tf.Tensor;
  labels: tf.Tensor;
  classCounts: tf.Tensor;
}

export function balancedSoftmaxLoss(inputs: BalancedSoftmaxInputs, _options: BalancedSoftmaxOptions = {}): tf.Scalar {
  const { logits, labels, classCounts } = inputs;
  checkClassification('balanced-softmax', inputs);
  const logCounts = tf.log(tf.cast(classCounts, 'float32'));
  return tf.mean(perSampleCrossEntropy(tf.add(logits, logCounts), labels));
}

export const balancedSoftmax = defineLoss({
  name: 'balanced-softmax',
  summary: 'Balanced Softmax (Ren et al. 2020): CE on logits + log class counts.',
  schema: balancedSoftmaxOptionsSchema,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classCounts: { required: true, dtype: 'count' },
  },
  requires: { ...NOTHING_REQUIRED, logits: true, labels: 'required', classCounts: 'required' },
  body: (inputs, options) => balancedSoftmaxLoss(inputs, options),
});
