/**
 * Cross-entropy with optional label smoothing and per-class weights, as PyTorch's
 * `nn.CrossEntropyLoss(weight, label_smoothing)` with mean reduction.
 *
 * Label smoothing: Szegedy et al., "Rethinking the Inception Architecture for Computer Vision",
 * CVPR 2016, Eq. 3 (q' = (1 - eps) * onehot + eps / C). With weights w the mean is PyTorch's:
 *   L = (1 - eps) * sum_i w_{y_i} ce_i / sum_i w_{y_i}
 *       + eps / C * sum_i sum_c w_c (-log p_ic) / sum_i w_{y_i}
 * With class-balanced weights (see classBalancedWeights) this is the class-balanced CE of Cui et al.
 * CVPR 2019, and with weights switched on late it is DRW (Cao et al., NeurIPS 2019).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClassification } from './classification-inputs.js';
import { pickLabel, weightedMean } from './label-log-prob.js';
import { defineLoss } from './loss-definition.js';
import {
  type CrossEntropyOptions,
  crossEntropyOptionsSchema,
  crossEntropySchemaEntry,
} from './schema/cross-entropy.js';

export { type CrossEntropyOptions, crossEntropyOptionsSchema };

export interface CrossEntropyInputs {
  logits: tf.Tensor;
  labels: tf.Tensor;
  classWeights: tf.Tensor | null;
}

export function crossEntropyLoss(inputs: CrossEntropyInputs, options: CrossEntropyOptions): tf.Scalar {
  const { logits, labels, classWeights } = inputs;
  const { classes } = checkClassification('cross-entropy', inputs);
  const logProbs = tf.logSoftmax(logits);
  const nll = weightedMean(tf.neg(pickLabel(logProbs, labels)), labels, classWeights);
  const eps = options.labelSmoothing;
  if (eps === 0) return nll;
  const weighted = classWeights === null ? logProbs : tf.mul(logProbs, classWeights);
  const smoothPerSample = tf.neg(tf.sum(weighted, 1));
  const smooth =
    classWeights === null
      ? tf.mean(smoothPerSample)
      : tf.div(tf.sum(smoothPerSample), tf.sum(tf.gather(classWeights, labels)));
  return tf.add(tf.mul(nll, 1 - eps), tf.mul(smooth, eps / classes));
}

export const crossEntropy = defineLoss({
  ...crossEntropySchemaEntry,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classWeights: { required: false, dtype: 'float' },
  },
  body: (inputs, options) => crossEntropyLoss(inputs, options),
});
