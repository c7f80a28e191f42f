import * as tf from '@tensorflow/tfjs-core';
import { applyAlongAxis } from './axis-matrix.js';

/**
 * PyTorch's `AdaptiveAvgPool2d(bins)` bins along one axis as a `[bins, size]` averaging matrix:
 * bin i covers rows floor(i * size / bins) to ceil((i + 1) * size / bins) - 1 (neighbouring bins
 * overlap when bins does not divide size).
 */
export function adaptivePoolMatrix(size: number, bins: number): Float32Array {
  const matrix = new Float32Array(bins * size);
  for (let i = 0; i < bins; i++) {
    const start = Math.floor((i * size) / bins);
    const end = Math.ceil(((i + 1) * size) / bins);
    for (let j = start; j < end; j++) matrix[i * size + j] = 1 / (end - start);
  }
  return matrix;
}

/** Adaptive average pooling of an NHWC map to `bins x bins` (the pyramid pooling module's pools). */
export function adaptiveAvgPool(x: tf.Tensor4D, bins: number): tf.Tensor4D {
  const [, height, width] = x.shape;
  return tf.tidy(() => {
    const rows = applyAlongAxis(x, 1, tf.tensor2d(adaptivePoolMatrix(height, bins), [bins, height]));
    return applyAlongAxis(rows, 2, tf.tensor2d(adaptivePoolMatrix(width, bins), [bins, width]));
  });
}
