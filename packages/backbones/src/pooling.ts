import * as tf from '@tensorflow/tfjs-core';

/** Global average pool of an NHWC map to `[B, C]` (PyTorch's adaptive avg-pool to 1x1, flattened). */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}

/** torchvision's stem pool: 3x3 max pool, stride 2, symmetric padding 1. */
export function stemMaxPool(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 3, 2, 1);
}

/**
 * `x[:, ::2, ::2, :]` for any height and width (odd sizes keep the last row and column, as in
 * PyTorch slicing). Strided slice has no gradient in TF.js, and a pad-reshape-slice version ran
 * the 6-D wasm Slice kernel at 5x the cost of the whole ResNet-8 forward.
 */
export function takeEveryOther(x: tf.Tensor4D): tf.Tensor4D {
  // A 1x1 average pool with stride 2 picks exactly these pixels ('valid' keeps ceil(h / 2) rows).
  return tf.avgPool(x, [1, 1], [2, 2], 'valid');
}
