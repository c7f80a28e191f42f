/**
 * tau-normalised classifier (Kang et al., "Decoupling Representation and Classifier for
 * Long-Tailed Recognition", ICLR 2020), used by ResLT at inference (docs/methods.md §9.4):
 * `W~_c = W_c / ||W_c||_2^gamma`, logits `z = h . W~^T`, **no bias**. gamma = 0 leaves W unchanged.
 * `weight` is `[D, C]` (column c holds class c's weights).
 */
import * as tf from '@tensorflow/tfjs-core';

export function tauNormalizedLogits(features: tf.Tensor2D, weight: tf.Tensor2D, gamma: number): tf.Tensor2D {
  return tf.tidy(() => {
    const norms = tf.norm(weight, 'euclidean', 0, true); // [1, C]
    return tf.matMul(features, tf.div(weight, tf.pow(norms, gamma)));
  });
}
