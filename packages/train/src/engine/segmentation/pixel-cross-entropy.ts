import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Pixel-wise cross-entropy (Long et al., "Fully Convolutional Networks for Semantic
 * Segmentation", CVPR 2015, §3: the per-pixel multinomial logistic loss summed over the map),
 * averaged as mmsegmentation 0.17's `CrossEntropyLoss` (reduction `mean`), which the Region
 * Rebalance code runs on:
 *   L = -(1 / (B H W)) * sum over pixels p with y_p != ignore of log softmax(z_p)[y_p]
 * Pixels labelled `ignoreIndex` add nothing but still count in the denominator (later
 * mmsegmentation versions can leave them out with `avg_non_ignore`, not used here).
 * `logits` [B, H, W, C] at the label size, `labels` int32 [B, H, W].
 */
export function pixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, ignoreIndex = 255): tf.Scalar {
  const [batch, height, width, classes] = logits.shape;
  if (labels.rank !== 3 || labels.shape[0] !== batch || labels.shape[1] !== height || labels.shape[2] !== width) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Pixel cross-entropy: logits [${logits.shape.join(', ')}] and labels [${labels.shape.join(', ')}] cover different pixels.`,
      { fix: 'Resize the logits to the label size before the loss (outputSize of the model forward).' },
    );
  }
  return tf.tidy(() => {
    const labelled = tf.notEqual(labels, ignoreIndex);
    // Ignored pixels read class 0 and are then multiplied by 0.
    const safeLabels = tf.where(labelled, labels, tf.zerosLike(labels));
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(safeLabels, classes)), -1);
    const summed = tf.sum(tf.mul(picked, tf.cast(labelled, 'float32')));
    return tf.div(tf.neg(summed), batch * height * width) as tf.Scalar;
  });
}
