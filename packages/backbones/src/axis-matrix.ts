import * as tf from '@tensorflow/tfjs-core';

/**
 * Applies a linear map along the height (1) or width (2) axis of an NHWC map: `y = M x` with `M`
 * `[out, in]` for every other index. Separable resampling (bilinear resize, adaptive pooling) is
 * two of these. Each is one batched matMul with `M` broadcast over the batch, on reshaped views
 * (no transposes): fast kernels and gradients on every backend. Gathers would need scatter-add
 * gradients, which the cpu backend runs in time proportional to the source rows times the size.
 */
export function applyAlongAxis(x: tf.Tensor4D, axis: 1 | 2, matrix: tf.Tensor2D): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const [out] = matrix.shape;
  return tf.tidy((): tf.Tensor4D => {
    const map = tf.expandDims(matrix, 0) as tf.Tensor3D;
    if (axis === 1) {
      const mixed = tf.matMul(map, tf.reshape(x, [batch, height, width * channels]));
      return tf.reshape(mixed, [batch, out, width, channels]);
    }
    const mixed = tf.matMul(map, tf.reshape(x, [batch * height, width, channels]));
    return tf.reshape(mixed, [batch, height, out, channels]);
  });
}
