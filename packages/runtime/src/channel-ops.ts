import * as tf from '@tensorflow/tfjs-core';

/** Below this many rows the remaining mean is one small reduction. */
const FINAL_ROWS = 64;
/** Rows averaged per pooling stage: at most this many float32 values are summed at a time. */
const MAX_GROUP = 64;

function onWasm(t: tf.Tensor): boolean {
  return tf.getBackend() === 'wasm' && t.dtype === 'float32';
}

function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/**
 * Mean over every axis but the last (channels). On wasm, [rows, C] is viewed as an image
 * [1, rows/g, g, C] and average-pooled with a 1 x g window, in stages, until few rows are left:
 * XNNPACK's pooling is one multi-threaded pass per stage, where a reduction over a
 * non-innermost axis is a transpose and a loop. Each stage sums at most MAX_GROUP float32
 * values, so rounding grows with the number of stages (log rows), not with rows.
 */
export function channelMeans(x: tf.Tensor): tf.Tensor1D {
  const channels = x.shape.at(-1) as number;
  return tf.tidy(() => {
    let rows = x.size / channels;
    if (!onWasm(x)) return tf.mean(tf.reshape(x, [rows, channels]), 0) as tf.Tensor1D;
    let t: tf.Tensor = x;
    while (rows > FINAL_ROWS) {
      const group = largestDivisorAtMost(rows, MAX_GROUP);
      if (group < 2) break;
      rows /= group;
      t = tf.avgPool(tf.reshape(t, [1, rows, group, channels]) as tf.Tensor4D, [1, group], [1, group], 'valid');
    }
    return tf.mean(tf.reshape(t, [rows, channels]), 0) as tf.Tensor1D;
  });
}

/**
 * x · scale + shift with per-channel (last axis) vectors. On wasm, a 1x1 depthwise convolution
 * with bias, which XNNPACK runs as one multiply-add pass (3x faster than Multiply then Add
 * with broadcasting).
 */
export function channelAffine(x: tf.Tensor, scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor {
  const channels = x.shape.at(-1) as number;
  return tf.tidy(() => {
    if (!onWasm(x)) return tf.add(tf.mul(x, scale), shift);
    const y = tf.fused.depthwiseConv2d({
      x: tf.reshape(x, [1, 1, x.size / channels, channels]) as tf.Tensor4D,
      filter: tf.reshape(scale, [1, 1, channels, 1]) as tf.Tensor4D,
      strides: 1,
      pad: 'valid',
      // A fresh C-element copy: the wasm kernel checks the rank its data was created with, and a
      // reshaped [1, 1, 1, C] tensor shares that data.
      bias: tf.add(shift, 0),
    });
    return tf.reshape(y, x.shape);
  });
}
