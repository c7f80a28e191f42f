/**
 * Balanced Softmax: Ren et al., "Balanced Meta-Softmax for Long-Tailed Visual Recognition",
 * NeurIPS 2020, Eq. 4: softmax over z_c + log n_c, i.e. L = mean_i CE(z_i + log n, y_i)
 * (log n_c equals log pi_c plus a constant that the softmax cancels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClassification } from './classification-inputs.js';
import { perSampleCrossEntropy } from './label-log-prob.js';
import { defineLoss } from './loss-definition.js';
import {
  type BalancedSoftmaxOptions,
  balancedSoftmaxOptionsSchema,
  balancedSoftmaxSchemaEntry,
} from './schema/balanced-softmax.js';

export { type BalancedSoftmaxOptions, balancedSoftmaxOptionsSchema };

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
  ...balancedSoftmaxSchemaEntry,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classCounts: { required: true, dtype: 'count' },
  },
  body: (inputs, options) => balancedSoftmaxLoss(inputs, options),
});
