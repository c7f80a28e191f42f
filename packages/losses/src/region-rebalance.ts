/**
 * Region Rebalance (RR): Cui et al., "Region Rebalance for Long-Tailed Semantic Segmentation",
 * arXiv 2204.01969, the auxiliary region-classification loss, as in the RR-labelled code path
 * (`UPerHead_cecol`; docs/methods.md §10):
 *   r_c = mean of the pixel features labelled c, for the R classes present (ascending ids);
 *   u   = (relu(r Wg^T + bg) Wc^T + bc) * scale       (a frozen random projection; dropout = identity)
 *   t   = smooth * onehot(c) + (1 - smooth) / (C - 1) * (1 - onehot(c))
 *   L   = -weight * sum(t * log_softmax(u + log(n / sum n + 1e-12))) / (sum(t) + 1e-12)
 * Pixels labelled ignoreIndex are dropped first. The gradient reaches only `features`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineLoss, dim, expectShape, inputError } from './loss-definition.js';
import { pairwiseSum } from './pairwise-sum.js';
import {
  type RegionRebalanceOptions,
  regionRebalanceOptionsSchema,
  regionRebalanceSchemaEntry,
} from './schema/region-rebalance.js';

export { type RegionRebalanceOptions, regionRebalanceOptionsSchema };

const PRIOR_EPSILON = 1e-12;
const TARGET_EPSILON = 1e-12;

export interface RegionRebalanceInputs {
  /** Pixel features [P, d]. */
  features: tf.Tensor;
  /** int32 pixel labels [P]; `ignoreIndex` marks pixels to drop. */
  labels: tf.Tensor;
  gainWeight: tf.Tensor;
  gainBias: tf.Tensor;
  clsWeight: tf.Tensor;
  clsBias: tf.Tensor;
  /** Images per class [C] (image-level frequency), the region prior. */
  classCounts: tf.Tensor;
}

export function regionRebalanceLoss(inputs: RegionRebalanceInputs, options: RegionRebalanceOptions): tf.Scalar {
  const { features, labels, gainWeight, gainBias, clsWeight, clsBias, classCounts } = inputs;
  const { classes } = checkRegionShapes(inputs);
  // Labels are data, not parameters: reading them to group pixels is what the reference does too.
  const { present, membership } = groupPixels(labels.dataSync(), options.ignoreIndex, classes);
  if (present.length === 0) return tf.mul(tf.sum(features), 0);

  // Step 3: region features as one-hot^T features divided by the pixel counts. Ignored pixels
  // have all-zero membership rows, which drops them without a gather.
  const members = tf.tensor2d(membership, [dim(features, 0), present.length]);
  const sums = tf.matMul(members, features, true, false);
  const regions = tf.div(sums, tf.expandDims(tf.sum(members, 0), 1));
  // Step 4: the frozen projection.
  const hidden = tf.relu(tf.add(tf.matMul(regions, gainWeight, false, true), gainBias));
  const regionLogits = tf.mul(tf.add(tf.matMul(hidden, clsWeight, false, true), clsBias), options.scale);
  // Steps 6-8: logit-adjusted soft cross-entropy.
  const counts = tf.cast(classCounts, 'float32');
  const logPrior = tf.log(tf.add(tf.div(counts, tf.sum(counts)), PRIOR_EPSILON));
  const logProbs = tf.logSoftmax(tf.add(regionLogits, logPrior));
  const oneHot = tf.oneHot(tf.tensor1d(present, 'int32'), classes);
  const offValue = (1 - options.smooth) / (classes - 1);
  const targets = tf.add(tf.mul(oneHot, options.smooth), tf.mul(tf.sub(1, oneHot), offValue));
  // R x C terms (~2e4 at ADE20K / COCO-Stuff scale): a running float32 sum, as wasm's Sum kernel
  // does, drifts by ~1e-4 relative there; a pairwise sum stays near float32 rounding.
  const total = tf.div(pairwiseSum(tf.mul(targets, logProbs)), tf.add(pairwiseSum(targets), TARGET_EPSILON));
  return tf.mul(total, -options.weight);
}

/** Present classes (ascending) and the pixel-to-region membership matrix [P, R], row-major. */
function groupPixels(
  labels: ArrayLike<number>,
  ignoreIndex: number,
  classes: number,
): { present: number[]; membership: Float32Array } {
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] as number;
    if (label === ignoreIndex) continue;
    if (label < 0 || label >= classes) {
      throw inputError('region-rebalance', [
        {
          path: `inputs.labels[${i}]`,
          message: `label ${label} is outside [0, ${classes}) and is not ignoreIndex ${ignoreIndex}`,
        },
      ]);
    }
    seen.add(label);
  }
  const present = [...seen].sort((a, b) => a - b);
  const regionOf = new Map(present.map((label, region) => [label, region]));
  const membership = new Float32Array(labels.length * present.length);
  for (let i = 0; i < labels.length; i += 1) {
    const region = regionOf.get(labels[i] as number);
    if (region !== undefined) membership[i * present.length + region] = 1;
  }
  return { present, membership };
}

function checkRegionShapes(inputs: RegionRebalanceInputs): { classes: number } {
  const { features, labels, gainWeight, gainBias, clsWeight, clsBias, classCounts } = inputs;
  expectShape('region-rebalance', 'features', features, [null, null]);
  expectShape('region-rebalance', 'labels', labels, [dim(features, 0)]);
  expectShape('region-rebalance', 'gainWeight', gainWeight, [null, dim(features, 1)]);
  const hidden = dim(gainWeight, 0);
  expectShape('region-rebalance', 'gainBias', gainBias, [hidden]);
  expectShape('region-rebalance', 'clsWeight', clsWeight, [null, hidden]);
  const classes = dim(clsWeight, 0);
  expectShape('region-rebalance', 'clsBias', clsBias, [classes]);
  expectShape('region-rebalance', 'classCounts', classCounts, [classes]);
  if (classes < 2) {
    throw inputError('region-rebalance', [
      { path: 'inputs.clsWeight', message: 'needs at least 2 classes (the soft target spreads over C - 1)' },
    ]);
  }
  return { classes };
}

export const regionRebalance = defineLoss({
  ...regionRebalanceSchemaEntry,
  inputs: {
    features: { required: true, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
    gainWeight: { required: true, dtype: 'float' },
    gainBias: { required: true, dtype: 'float' },
    clsWeight: { required: true, dtype: 'float' },
    clsBias: { required: true, dtype: 'float' },
    classCounts: { required: true, dtype: 'count' },
  },
  body: (inputs, options) => regionRebalanceLoss(inputs, options),
});
