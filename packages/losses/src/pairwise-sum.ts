import * as tf from '@tensorflow/tfjs-core';

/**
 * Sum over axis 0 by pairwise (cascade) summation: the two halves are added element-wise until one
 * row is left, so float32 rounding grows with log2(n) instead of n as in a running sum (Higham,
 * "The Accuracy of Floating Point Summation", SIAM J. Sci. Comput. 14(4), 1993). The backends' Sum
 * kernels may accumulate in one float32 pass, which over ~1e5 terms drifts by ~1e-5 relative.
 * Built from slice/pad/add only, so it is differentiable and runs on every backend.
 */
export function pairwiseSumAxis0(x: tf.Tensor): tf.Tensor {
  if (x.shape[0] === 0) return tf.zeros(x.shape.slice(1), x.dtype);
  let rest = x;
  while ((rest.shape[0] as number) > 1) {
    const rows = rest.shape[0] as number;
    const half = Math.ceil(rows / 2);
    const lower = tf.slice(rest, 0, half);
    let upper = tf.slice(rest, half, rows - half);
    if (rows % 2 === 1) upper = tf.pad(upper, [[0, 1], ...upper.shape.slice(1).map((): [number, number] => [0, 0])]);
    rest = tf.add(lower, upper);
  }
  return tf.squeeze(rest, [0]);
}

/** Pairwise sum of every element of `x` (see `pairwiseSumAxis0`). */
export function pairwiseSum(x: tf.Tensor): tf.Scalar {
  return pairwiseSumAxis0(tf.reshape(x, [-1])) as tf.Scalar;
}
