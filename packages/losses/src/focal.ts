/**
 * Focal loss: Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, Eq. 4
 * (FL = -(1 - p_t)^gamma log p_t), in the softmax form of LDAM-DRW (Cao et al., NeurIPS 2019,
 * `losses.py` FocalLoss): ce_i = w_{y_i} * CE_i, p_i = exp(-ce_i), L = mean_i (1 - p_i)^gamma * ce_i.
 * The weight sits inside p (p = exp(-w ce)), and the mean is plain, not normalised by the weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClassification } from './classification-inputs.js';
import { perSampleCrossEntropy } from './label-log-prob.js';
import { defineLoss } from './loss-definition.js';
import { type FocalOptions, focalOptionsSchema, focalSchemaEntry } from './schema/focal.js';

export { type FocalOptions, focalOptionsSchema };

export interface FocalInputs {
  logits: tf.Tensor;
  labels: tf.Tensor;
  classWeights: tf.Tensor | null;
}

// Keeps (1 - p)^gamma differentiable where p rounds to 1: the true gradient there is 0, while
// pow's gradient gamma * 0^(gamma - 1) would be Inf or NaN for gamma < 1.
const MIN_FOCAL_BASE = 1e-30;

export function focalLoss(inputs: FocalInputs, options: FocalOptions): tf.Scalar {
  const { logits, labels, classWeights } = inputs;
  checkClassification('focal', inputs);
  const ce = perSampleCrossEntropy(logits, labels);
  const weightedCe = classWeights === null ? ce : tf.mul(tf.gather(classWeights, labels), ce);
  if (options.gamma === 0) return tf.mean(weightedCe);
  const p = tf.exp(tf.neg(weightedCe));
  const modulator = tf.pow(tf.maximum(tf.sub(1, p), MIN_FOCAL_BASE), options.gamma);
  return tf.mean(tf.mul(modulator, weightedCe));
}

export const focal = defineLoss({
  ...focalSchemaEntry,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classWeights: { required: false, dtype: 'float' },
  },
  body: (inputs, options) => focalLoss(inputs, options),
});
