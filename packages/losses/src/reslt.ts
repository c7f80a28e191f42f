/**
 * ResLT loss: Cui et al., "ResLT: Residual Learning for Long-tailed Recognition", TPAMI 2022,
 * Eq. 4-6 (the paper's alpha is `beta` here), as in the original training scripts (docs/methods.md §9.2).
 * Branch CE ce(z, y) = -log(softmax(z)_y + 1e-7); group weights wH = 1, wM = [y in mediumTailRange],
 * wT = [y in tailRange] (half-open [lo, hi) label ranges):
 *   L_branch = (sum wH ce(zH) + sum wM ce(zM) + sum wT ce(zT)) / (sum wH + sum wM + sum wT)
 *   L_fuse   = mean CE(zH + zM + zT, y)   (plain CE, or -log(softmax + fuseEpsilon))
 *   L        = beta * L_branch + (1 - beta) * L_fuse
 * `branches: 2` is the iNat form: H and M only (M = mediumTailRange), logitsT is ignored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { pickLabel } from './label-log-prob.js';
import { defineLoss, dim, expectShape, inputError } from './loss-definition.js';
import { type ResltOptions, resltOptionsSchema, resltSchemaEntry } from './schema/reslt.js';

export { type ResltOptions, resltOptionsSchema };

const BRANCH_EPSILON = 1e-7;

export interface ResltInputs {
  logitsH: tf.Tensor;
  logitsM: tf.Tensor;
  /** Required with three branches, ignored with two. */
  logitsT: tf.Tensor | null;
  labels: tf.Tensor;
}

/** -log(softmax(z)_y + eps) per sample [B]. */
function epsilonCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, eps: number): tf.Tensor1D {
  return tf.neg(tf.log(tf.add(pickLabel(tf.softmax(logits), labels), eps))) as tf.Tensor1D;
}

/** 1 where lo <= label < hi, else 0 [B]. */
function inRange(labels: tf.Tensor, [lo, hi]: readonly [number, number]): tf.Tensor1D {
  return tf.cast(tf.logicalAnd(tf.greaterEqual(labels, lo), tf.less(labels, hi)), 'float32') as tf.Tensor1D;
}

export function resltLoss(inputs: ResltInputs, options: ResltOptions): tf.Scalar {
  const { labels } = inputs;
  const branches = resltBranches(inputs, options);
  const batch = dim(labels, 0);
  let numerator: tf.Tensor = tf.sum(epsilonCrossEntropy(branches[0].logits, labels, BRANCH_EPSILON));
  let denominator: tf.Tensor = tf.scalar(batch);
  for (const branch of branches.slice(1)) {
    const weight = inRange(labels, branch.range);
    numerator = tf.add(numerator, tf.sum(tf.mul(weight, epsilonCrossEntropy(branch.logits, labels, BRANCH_EPSILON))));
    denominator = tf.add(denominator, tf.sum(weight));
  }
  const branchLoss = tf.div(numerator, denominator);
  const fused = branches.map((branch) => branch.logits).reduce((sum, logits) => tf.add(sum, logits));
  const fuseCe =
    options.fuseEpsilon === 0
      ? tf.neg(pickLabel(tf.logSoftmax(fused), labels))
      : epsilonCrossEntropy(fused, labels, options.fuseEpsilon);
  return tf.add(tf.mul(branchLoss, options.beta), tf.mul(tf.mean(fuseCe), 1 - options.beta));
}

interface Branch {
  logits: tf.Tensor;
  range: readonly [number, number];
}

/** The branches in order H, M(, T), after checking shapes and that the needed ranges exist. */
function resltBranches(inputs: ResltInputs, options: ResltOptions): [Branch, ...Branch[]] {
  const { logitsH, logitsM, logitsT, labels } = inputs;
  expectShape('reslt', 'logitsH', logitsH, [null, null]);
  const shape = [dim(logitsH, 0), dim(logitsH, 1)];
  expectShape('reslt', 'logitsM', logitsM, shape);
  expectShape('reslt', 'labels', labels, [dim(logitsH, 0)]);
  const head: Branch = { logits: logitsH, range: [0, Number.MAX_SAFE_INTEGER] };
  const medium: Branch = { logits: logitsM, range: options.mediumTailRange };
  if (options.branches === 2) return [head, medium];
  if (logitsT === null) {
    throw inputError('reslt', [
      { path: 'inputs.logitsT', message: 'required with branches = 3 (use branches: 2 for the iNat form)' },
    ]);
  }
  if (options.tailRange === undefined) {
    throw inputError('reslt', [{ path: 'options.tailRange', message: 'required with branches = 3' }]);
  }
  expectShape('reslt', 'logitsT', logitsT, shape);
  return [head, medium, { logits: logitsT, range: options.tailRange }];
}

export const reslt = defineLoss({
  ...resltSchemaEntry,
  inputs: {
    logitsH: { required: true, dtype: 'float' },
    logitsM: { required: true, dtype: 'float' },
    logitsT: { required: false, dtype: 'float' },
    labels: { required: true, dtype: 'int' },
  },
  body: (inputs, options) => resltLoss(inputs, options),
});
