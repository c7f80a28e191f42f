import * as tf from '@tensorflow/tfjs-core';
import { dim } from './loss-definition.js';

/**
 * `out[i] = values[i, labels[i]]` for values [B, C] and int32 labels [B]. A one-hot product rather
 * than a batched gather: it is exact (x * 1 + 0s) and its gradient runs on every backend.
 */
export function pickLabel(values: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  const oneHot = tf.oneHot(labels as tf.Tensor1D, dim(values, 1));
  return tf.sum(tf.mul(values, oneHot), 1) as tf.Tensor1D;
}

/** Per-sample cross-entropy `-log_softmax(logits)[i, y_i]` [B], as PyTorch's `reduction='none'`. */
export function perSampleCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  return tf.neg(pickLabel(tf.logSoftmax(logits), labels));
}

/**
 * PyTorch's weighted mean `sum_i w[y_i] * v_i / sum_i w[y_i]`; with no weights, the plain mean.
 */
export function weightedMean(values: tf.Tensor1D, labels: tf.Tensor, classWeights: tf.Tensor | null): tf.Scalar {
  if (classWeights === null) return tf.mean(values);
  const sampleWeights = tf.gather(classWeights, labels);
  return tf.div(tf.sum(tf.mul(sampleWeights, values)), tf.sum(sampleWeights));
}
