import * as tf from '@tensorflow/tfjs-core';

/** Row-wise `x / max(||x||_2, 1e-12)`: PyTorch's `F.normalize(x, dim=1)` (docs/methods.md §1). */
export function l2Normalize(x: tf.Tensor2D, epsilon = 1e-12): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), epsilon)));
}
