/**
 * Logit-adjusted cross-entropy: Menon et al., "Long-tail learning via logit adjustment",
 * ICLR 2021, Eq. 10: L = mean_i CE(z_i + tau * log pi, y_i) with pi_c = n_c / sum n (no epsilon).
 * tau = 1 is Balanced Softmax; PaCo adds the same prior inside its loss (docs/methods.md §8.5).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClassification } from './classification-inputs.js';
import { perSampleCrossEntropy } from './label-log-prob.js';
import { defineLoss } from './loss-definition.js';
import {
  type LogitAdjustedCeOptions,
  logitAdjustedCeOptionsSchema,
  logitAdjustedCeSchemaEntry,
} from './schema/logit-adjusted-ce.js';

export { type LogitAdjustedCeOptions, logitAdjustedCeOptionsSchema };

export interface LogitAdjustedCeInputs {
  logits: tf.Tensor;
  labels: tf.Tensor;
  classCounts: tf.Tensor;
}

export function logitAdjustedCeLoss(inputs: LogitAdjustedCeInputs, options: LogitAdjustedCeOptions): tf.Scalar {
  const { logits, labels, classCounts } = inputs;
  checkClassification('logit-adjusted-ce', inputs);
  const counts = tf.cast(classCounts, 'float32');
  const logPrior = tf.log(tf.div(counts, tf.sum(counts)));
  return tf.mean(perSampleCrossEntropy(tf.add(logits, tf.mul(logPrior, options.tau)), labels));
}

export const logitAdjustedCe = defineLoss({
  ...logitAdjustedCeSchemaEntry,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classCounts: { required: true, dtype: 'count' },
  },
  body: (inputs, options) => logitAdjustedCeLoss(inputs, options),
});
