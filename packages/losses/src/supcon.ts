/**
 * Supervised contrastive loss: Khosla et al., "Supervised Contrastive Learning", NeurIPS 2020,
 * Eq. 2 (L^sup_out), as in the reference `losses.py` SupConLoss (HobbitLong/SupContrast):
 *   a_ij = f_i . f_j / T over anchors i and all B*V view rows j; shift by the detached row max;
 *   log p_ij = a_ij - log sum_{k != i} exp(a_ik);
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
  /** L2-normalised embeddings [B, V, d]. */
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

  const expLogits = tf.mul(tf.exp(logits), selfMask);
  const logProb = tf.sub(logits, tf.log(tf.sum(expLogits, 1, true)));
  const positiveCount = tf.sum(positives, 1);
  const safeCount = tf.where(tf.less(positiveCount, 1e-6), tf.onesLike(positiveCount), positiveCount);
  const meanLogProbPos = tf.div(tf.sum(tf.mul(positives, logProb), 1), safeCount);
  return tf.mean(tf.mul(meanLogProbPos, -(options.temperature / options.baseTemperature)));
}

export const supcon = defineLoss({
  ...supconSchemaEntry,
  inputs: {
    features: { required: true, dtype: 'float' },
    labels: { required: false, dtype: 'int' },
  },
  body: (inputs, options) => supconLoss(inputs, options),
});
