import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

export interface AtrousOptions {
  /** Gap between kernel taps (PyTorch's `dilation`); 1 is a plain convolution. */
  dilation: number;
  /** Symmetric zero padding of the dilated convolution, as PyTorch's `padding`. */
  padding: number;
}

/**
 * A stride-1 dilated ("atrous") convolution, Chen et al., "DeepLab", TPAMI 2018, §3.1:
 * `y[i] = sum_k x[i + dilation * k] w[k]`. TF.js computes dilated conv2d forward but has no
 * gradient for it, so this is TensorFlow's own `atrous_conv2d` construction: space-to-batch
 * splits the padded input into dilation x dilation phase grids, a plain (`valid`) convolution
 * `conv` runs on each, and batch-to-space interleaves the results. Both reshuffles have
 * gradients on every backend, and the work is that of the undilated kernel (no zero taps).
 * `conv` is any valid, stride-1 convolution (plain or grouped) with the layer's filter.
 */
export function atrousConv2d(
  x: tf.Tensor4D,
  conv: (phases: tf.Tensor4D) => tf.Tensor4D,
  options: AtrousOptions,
): tf.Tensor4D {
  const { dilation, padding } = options;
  if (!Number.isInteger(dilation) || dilation < 1) {
    throw new LtlabError('INTERNAL', `Dilation must be a positive integer, got ${dilation}.`);
  }
  if (dilation === 1)
    return tf.tidy(() =>
      conv(
        tf.pad(x, [
          [0, 0],
          [padding, padding],
          [padding, padding],
          [0, 0],
        ]),
      ),
    );
  const [, height, width] = x.shape;
  // Extra zero rows/columns at the end make each padded side a multiple of the dilation; the
  // outputs they produce are cropped again after batch-to-space.
  const extraH = (dilation - ((height + 2 * padding) % dilation)) % dilation;
  const extraW = (dilation - ((width + 2 * padding) % dilation)) % dilation;
  return tf.tidy(() => {
    const phases = tf.spaceToBatchND(
      x,
      [dilation, dilation],
      [
        [padding, padding + extraH],
        [padding, padding + extraW],
      ],
    ) as tf.Tensor4D;
    return tf.batchToSpaceND(
      conv(phases),
      [dilation, dilation],
      [
        [0, extraH],
        [0, extraW],
      ],
    ) as tf.Tensor4D;
  });
}
