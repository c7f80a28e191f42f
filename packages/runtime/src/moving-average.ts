import * as tf from '@tensorflow/tfjs-core';
import { MOVING_AVERAGE, type MovingAverageAttrs } from './native/kernels/optimizer.js';
import { NATIVE_BACKEND } from './native/native-backend.js';
import { WEBGPU_BACKEND } from './webgpu/register-webgpu-backend.js';

/**
 * An exponential moving average step, `(1 − momentum) · running + momentum · (scale · value)`,
 * as batch norm keeps its running statistics (scale n / (n − 1) turns the biased batch variance
 * into the unbiased one, as PyTorch does). One kernel on native and webgpu, outside the gradient tape's
 * bookkeeping (it has no gradient); elsewhere the same float32 operations in the same order.
 */
export function movingAverage(running: tf.Tensor, value: tf.Tensor, momentum: number, scale = 1): tf.Tensor {
  if (
    (tf.getBackend() === NATIVE_BACKEND || tf.getBackend() === WEBGPU_BACKEND) &&
    running.dtype === 'float32' &&
    value.dtype === 'float32'
  ) {
    const attrs: MovingAverageAttrs = { keep: 1 - momentum, take: momentum, scale };
    return tf.engine().runKernel(MOVING_AVERAGE, { running, value }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => {
    const scaled = scale === 1 ? value : tf.mul(value, scale);
    return tf.add(tf.mul(running, 1 - momentum), tf.mul(scaled, momentum));
  });
}
