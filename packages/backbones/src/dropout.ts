import * as tf from '@tensorflow/tfjs-core';

/**
 * Inverted dropout as PyTorch's (Srivastava et al., JMLR 2014): each entry is zeroed with
 * probability `rate`, survivors are scaled by 1 / (1 - rate). `perChannel` is `nn.Dropout2d` on an
 * NHWC map: one draw per (image, channel), so whole feature maps drop. The mask comes from
 * `seed`, drawn on the host as TF.js does, so it is the same on every backend.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number, perChannel = false): T {
  if (rate === 0) return tf.clone(x);
  const noiseShape = perChannel && x.rank === 4 ? [x.shape[0] as number, 1, 1, x.shape[3] as number] : undefined;
  return tf.dropout(x, rate, noiseShape, seed) as T;
}
