/**
 * PaCo, Parametric Contrastive Learning: Cui et al., ICCV 2021, Eq. 8-9 (the loss with
 * parametric class-wise centers), as in the original `PaCo/LT/losses.py` PaCoLoss and, without
 * class counts, `PaCo/Full-ImageNet/losses.py`. docs/methods.md §8.4 steps 1-14, followed literally:
 * the row max is taken over all C + N columns (self column included) and detached, and 1e-12 is
 * added inside the log after that shift. A generic log-sum-exp would change the epsilon corners
 * (small T, gamma = 0), so none is used here.
 *
 * For anchor i (the B query rows), with g_ic = (S_ic + log(pi_c + 1e-9)) / supt and a_ij = f_i . f_j / T:
 *   L_i = -(T / baseT) * [ beta (g_{i,y_i} - log Den_i) + alpha sum_{j in P(i)} (a_ij - log Den_i) ]
 *                        / (beta + alpha |P(i)|)
 *   Den_i = sum_c exp(g_ic) + gamma sum_{j != i} exp(a_ij),   P(i) = { j != i : l_j = y_i }
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineLoss, dim, expectShape, inputError } from './loss-definition.js';
import { type PacoOptions, pacoOptionsSchema, pacoSchemaEntry } from './schema/paco.js';
import { stopGradient } from './stop-gradient.js';

export { type PacoOptions, pacoOptionsSchema };

export interface PacoInputs {
  /** [2B + K, d]: rows [q; k; queue], L2-normalised; k and the queue should carry no gradient. */
  features: tf.Tensor;
  /** int32 [2B + K]: [y; y; queue labels]. */
  labels: tf.Tensor;
  /** Classifier logits S [B, C] of the query view. */
  logits: tf.Tensor;
  /** Training images per class [C]; `null` is the balanced (Full-ImageNet) loss without a prior. */
  classCounts: tf.Tensor | null;
}

const PRIOR_EPSILON = 1e-9;
const LOG_EPSILON = 1e-12;

export function pacoLoss(inputs: PacoInputs, options: PacoOptions): tf.Scalar {
  const { features, labels, logits, classCounts } = inputs;
  const { batch, classes, rows, width } = checkPacoShapes(inputs, options);
  const { alpha, beta, gamma, supt, temperature } = options;
  const baseTemperature = options.baseTemperature ?? temperature;

  // Step 2: same-label mask M [B, N].
  const anchorLabels = tf.slice(labels, [0], [batch]);
  const sameLabel = tf.cast(tf.equal(tf.expandDims(anchorLabels, 1), tf.expandDims(labels, 0)), 'float32');
  // Step 3: sample logits A = q F^T / T [B, N]; q reaches the gradient as row and as column.
  const queries = tf.slice(features, [0, 0], [batch, width]);
  const sampleLogits = tf.div(tf.matMul(queries, features, false, true), temperature);
  // Step 4: center logits G = (S + log(pi + 1e-9)) / supt [B, C]; no prior without counts.
  const centerLogits = tf.div(classCounts === null ? logits : tf.add(logits, logPrior(classCounts)), supt);
  // Step 5: Z = [G, A], the center block first.
  const all = tf.concat([centerLogits, sampleLogits], 1);
  // Step 6: shift by the detached max over all C + N columns, self column included.
  const shifted = tf.sub(all, stopGradient(tf.max(all, 1, true)));
  // Step 7: self mask E: only the anchor's own column j = i is removed.
  const notSelf = tf.sub(1, tf.oneHot(tf.range(0, batch, 1, 'int32'), rows));
  // Step 8: sample positives P = M * E.
  const samplePositives = tf.mul(sameLabel, notSelf);
  // Step 9: positive weights W = [beta * onehot(y), alpha * P].
  const centerPositive = tf.oneHot(anchorLabels as tf.Tensor1D, classes);
  const weights = tf.concat([tf.mul(centerPositive, beta), tf.mul(samplePositives, alpha)], 1);
  // Step 10: denominator mask [1 (C columns), gamma * E].
  const denominatorMask = tf.concat([tf.ones([batch, classes]), tf.mul(notSelf, gamma)], 1);
  // Step 11: log of the masked sum, with 1e-12 added after the shift.
  const logDenominator = tf.log(tf.add(tf.sum(tf.mul(tf.exp(shifted), denominatorMask), 1, true), LOG_EPSILON));
  // Step 12.
  const logProb = tf.sub(shifted, logDenominator);
  // Step 13: weighted mean log-probability of the positives.
  const meanLogProbPos = tf.div(tf.sum(tf.mul(weights, logProb), 1), tf.sum(weights, 1));
  // Step 14.
  return tf.mean(tf.mul(meanLogProbPos, -(temperature / baseTemperature)));
}

/** log(pi + 1e-9) [C] with pi = counts / sum(counts), the constant prior of step 4. */
function logPrior(classCounts: tf.Tensor): tf.Tensor {
  const counts = tf.cast(classCounts, 'float32');
  return tf.log(tf.add(tf.div(counts, tf.sum(counts)), PRIOR_EPSILON));
}

function checkPacoShapes(
  inputs: PacoInputs,
  options: PacoOptions,
): { batch: number; classes: number; rows: number; width: number } {
  const { features, labels, logits, classCounts } = inputs;
  expectShape('paco', 'logits', logits, [null, null]);
  const [batch, classes] = [dim(logits, 0), dim(logits, 1)];
  expectShape('paco', 'features', features, [null, null]);
  const [rows, width] = [dim(features, 0), dim(features, 1)];
  expectShape('paco', 'labels', labels, [rows]);
  if (classCounts !== null) expectShape('paco', 'classCounts', classCounts, [classes]);
  const queueSize = options.queueSize ?? rows - 2 * batch;
  if (batch < 1 || queueSize < 0 || rows - queueSize !== 2 * batch) {
    throw inputError('paco', [
      {
        path: 'inputs.features',
        message: `expected 2B + K rows [q; k; queue] with B = ${batch} (logits rows) and K = ${queueSize}, got ${rows}`,
      },
    ]);
  }
  return { batch, classes, rows, width };
}

export const paco = defineLoss({
  ...pacoSchemaEntry,
  inputs: {
    features: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    logits: { required: true, dtype: 'float' },
    classCounts: { required: false, dtype: 'count' },
  },
  body: (inputs, options) => pacoLoss(inputs, options),
});
