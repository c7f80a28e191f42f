import * as tf from '@tensorflow/tfjs-core';

// TF.js has no stopGradient op: an identity whose gradient is zero does the same job.
const detachOp = tf.customGrad((x, _save) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** `sg(x)`: the value of `x`, with no gradient flowing back into it (PyTorch's `.detach()`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detachOp(x) as T;
}
