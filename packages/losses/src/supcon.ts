/**
 * Supervised contrastive loss: Khosla et al., "Supervised Contrastive Learning", NeurIPS 2020,
 * Eq. 2 (L^sup_out), as in the reference `losses.py` SupConLoss (HobbitLong/SupContrast):
 *   a_ij = f_i . f_j / T over anchors i and all B*V view rows j; shift by the detached row max
 *   (over all columns, self included, as the reference);
 *   log p_ij = a_ij - log sum_{k != i} exp(a_ik), the log-sum-exp shifted once more by the detached
 *   max over k != i so that its gradient stays finite for un-normalised features (see below);
 *   L_i = -(T / baseT) * sum_{j in P(i)} log p_ij / |P(i)|,  L = mean over anchors.
 * Without labels, the positives are the other views of the same image (SimCLR, Chen et al. 2020).
 * Anchors without positives contribute 0 but still count in the mean (the reference code's rule).
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineLoss, dim, expectShape } from './loss-definition.js';
import { type SupconOptions, supconOptionsSchema, supconSchemaEntry } from './schema/supcon.js';
import { stopGradient } from './stop-gradient.js';

export { type SupconOptions, supconOptionsSchema };

export interface SupconInputs {
  /** Embeddings [B, V, d], L2-normalised in the reference training (any norm is handled). */
  features: tf.Tensor;
  /** int32 [B]; `null` for SimCLR (instance positives). */
  labels: tf.Tensor | null;
}

export function supconLoss(inputs: SupconInputs, options: SupconOptions): tf.Scalar {
  const { features, labels } = inputs;
  expectShape('supcon', 'features', features, [null, null, null]);
  const [batch, views, width] = [dim(features, 0), dim(features, 1), dim(features, 2)];
  if (labels !== null) expectShape('supcon', 'labels', labels, [batch]);

  // Rows ordered view-major (all images of view 0, then view 1, ...), as torch.cat(unbind(f, 1)).
  const contrast = tf.reshape(tf.transpose(features, [1, 0, 2]), [views * batch, width]);
  const anchorCount = options.contrastMode === 'one' ? 1 : views;
  const anchors = options.contrastMode === 'one' ? tf.slice(contrast, [0, 0], [batch, width]) : contrast;
  const anchorRows = anchorCount * batch;

  const dots = tf.div(tf.matMul(anchors, contrast, false, true), options.temperature);
  const logits = tf.sub(dots, stopGradient(tf.max(dots, 1, true)));

  const sameInstance =
    labels === null ? tf.eye(batch) : tf.cast(tf.equal(tf.expandDims(labels, 1), tf.expandDims(labels, 0)), 'float32');
  const selfMask = tf.sub(1, tf.oneHot(tf.range(0, anchorRows, 1, 'int32'), views * batch));
  const positives = tf.mul(tf.tile(sameInstance, [anchorCount, views]), selfMask);

  const logProb = tf.sub(logits, logSumExpOthers(logits, selfMask));
  const positiveCount = tf.sum(positives, 1);
  const safeCount = tf.where(tf.less(positiveCount, 1e-6), tf.onesLike(positiveCount), positiveCount);
  const meanLogProbPos = tf.div(tf.sum(tf.mul(positives, logProb), 1), safeCount);
  return tf.mean(tf.mul(meanLogProbPos, -(options.temperature / options.baseTemperature)));
}

/**
 * log sum_{k != i} exp(logits_ik) per row [rows, 1], the reference's `log(exp_logits.sum(1))`.
 * Shifted once more by the detached max over the non-self columns, which leaves the value and the
 * gradient unchanged in exact arithmetic. Without it, un-normalised features (norm ~3 at T = 0.07)
 * give a self logit ~90 above every other one: the masked row sum underflows to a float32 subnormal,
 * its reciprocal in the log's gradient overflows to inf and inf * 0 (the self mask) is NaN. With
 * it the sum is at least 1 (the row's largest term is exp(0)).
 */
function logSumExpOthers(logits: tf.Tensor, selfMask: tf.Tensor): tf.Tensor {
  const others = tf.cast(selfMask, 'bool');
  // The self column is replaced by the row minimum so it never wins the max (unless it is alone).
  const rowMin = tf.broadcastTo(tf.min(logits, 1, true), logits.shape);
  const othersMax = stopGradient(tf.max(tf.where(others, logits, rowMin), 1, true));
  // exp(0) * 0 on the self column: exp(self - othersMax) could overflow, and inf * 0 is NaN.
  const shifted = tf.where(others, tf.sub(logits, othersMax), tf.zerosLike(logits));
  return tf.add(othersMax, tf.log(tf.sum(tf.mul(tf.exp(shifted), selfMask), 1, true)));
}

export const supcon = defineLoss({
  ...supconSchemaEntry,
  inputs: {
    features: { required: true, dtype: 'float' },
    labels: { required: false, dtype: 'int' },
  },
  body: (inputs, options) => supconLoss(inputs, options),
});
