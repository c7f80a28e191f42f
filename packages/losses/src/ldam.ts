/**
 * LDAM loss: Cao et al., "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss",
 * NeurIPS 2019, Eq. 13 with margins Delta_j = C / n_j^(1/4) (Eq. 12), as in `losses.py` LDAMLoss:
 *   m_c = maxM * n_c^(-1/4) / max_c' n_c'^(-1/4)   (the rarest class gets maxM)
 *   L   = CE_w(s * (z - m_y * onehot(y)), y)       (PyTorch weighted mean)
 * DRW (deferred re-weighting) is the `classWeights` input: the trainer passes class-balanced
 * weights from its switch epoch on and nothing before it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkClassification } from './classification-inputs.js';
import { perSampleCrossEntropy, weightedMean } from './label-log-prob.js';
import { defineLoss } from './loss-definition.js';
import { type LdamOptions, ldamOptionsSchema, ldamSchemaEntry } from './schema/ldam.js';

export { type LdamOptions, ldamOptionsSchema };

export interface LdamInputs {
  logits: tf.Tensor;
  labels: tf.Tensor;
  classCounts: tf.Tensor;
  classWeights: tf.Tensor | null;
}

/** The per-class margins m_c [C] of Eq. 12, largest (maxM) for the rarest class. */
export function ldamMargins(classCounts: tf.Tensor, maxM: number): tf.Tensor1D {
  return tf.tidy(() => {
    const inverseFourthRoot = tf.div(1, tf.sqrt(tf.sqrt(tf.cast(classCounts, 'float32'))));
    return tf.mul(inverseFourthRoot, tf.div(maxM, tf.max(inverseFourthRoot))) as tf.Tensor1D;
  });
}

export function ldamLoss(inputs: LdamInputs, options: LdamOptions): tf.Scalar {
  const { logits, labels, classCounts, classWeights } = inputs;
  const { classes } = checkClassification('ldam', inputs);
  const margins = ldamMargins(classCounts, options.maxM);
  const batchMargin = tf.gather(margins, labels); // m_{y_i} [B]
  const shifted = tf.sub(logits, tf.mul(tf.oneHot(labels as tf.Tensor1D, classes), tf.expandDims(batchMargin, 1)));
  const ce = perSampleCrossEntropy(tf.mul(shifted, options.s), labels);
  return weightedMean(ce, labels, classWeights);
}

export const ldam = defineLoss({
  ...ldamSchemaEntry,
  inputs: {
    logits: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    classCounts: { required: true, dtype: 'count' },
    classWeights: { required: false, dtype: 'float' },
  },
  body: (inputs, options) => ldamLoss(inputs, options),
});
