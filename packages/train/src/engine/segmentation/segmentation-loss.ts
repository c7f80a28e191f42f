import type { RegionRebalanceBranch, SegmentationOutputs } from '@ltlab/backbones';
import { getLoss, type RegionRebalanceOptions } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import { pixelCrossEntropy } from './pixel-cross-entropy.js';

/** The Region Rebalance part of a segmentation loss: the frozen branch, the image-level prior and the loss options. */
export interface RegionRebalanceTerm {
  branch: RegionRebalanceBranch;
  /** N_img(c): training images containing class c (imageClassCounts), int32 [C]. */
  imageCounts: tf.Tensor1D;
  options: RegionRebalanceOptions;
}

const REGION_REBALANCE = getLoss('region-rebalance');

/**
 * Region Rebalance's auxiliary loss for one batch (Cui et al., arXiv 2204.01969, §3;
 * docs/methods.md §10): the branch projects the decode head's features to the label size
 * (P = BN(Conv1x1(O)), resized with align_corners true, BN in train mode), and `region-rebalance`
 * of @ltlab/losses pools them into batch-level class regions (ignored pixels out, absent classes
 * no row), scores them with the branch's frozen projection and returns the logit-adjusted,
 * label-smoothed region cross-entropy. The loss takes the region classifier's dropout as the
 * identity (its golden values' convention). Runs inside the gradient; only the features learn.
 */
export function regionRebalanceLoss(
  term: RegionRebalanceTerm,
  features: tf.Tensor4D,
  labels: tf.Tensor3D,
  options: { training: boolean },
): tf.Scalar {
  const [batch, height, width] = labels.shape;
  // In a tidy (the gradient's, or the caller's): the intermediates are freed with it.
  const pixels = term.branch.projectPixels(features, [height, width], { training: options.training });
  return REGION_REBALANCE.compute(
    {
      features: tf.reshape(pixels, [batch * height * width, term.branch.options.reducedChannels]),
      labels: tf.reshape(labels, [batch * height * width]),
      ...term.branch.lossProjection(),
      classCounts: term.imageCounts,
    },
    term.options,
  );
}

/**
 * The training loss of a segmentation step, as the Region Rebalance code's total (seed recipe,
 * docs/segmentation.md "Training"): pixel CE of the decode head + `auxiliaryWeight` x pixel CE of
 * the auxiliary head (when the model has one) + the Region Rebalance loss (when configured). Every
 * term is on logits already resized to the label size.
 */
export function segmentationLoss(
  outputs: SegmentationOutputs,
  labels: tf.Tensor3D,
  options: { auxiliaryWeight: number; regionRebalance: RegionRebalanceTerm | null },
): tf.Scalar {
  return tf.tidy(() => {
    const terms: tf.Scalar[] = [pixelCrossEntropy(outputs.logits, labels)];
    if (outputs.auxLogits !== null && options.auxiliaryWeight > 0) {
      terms.push(tf.mul(pixelCrossEntropy(outputs.auxLogits, labels), options.auxiliaryWeight));
    }
    if (options.regionRebalance !== null) {
      terms.push(regionRebalanceLoss(options.regionRebalance, outputs.features, labels, { training: true }));
    }
    return tf.addN(terms) as tf.Scalar;
  });
}
