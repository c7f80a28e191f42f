import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';

export interface GroupedConv2dOptions {
  stride: number;
  /** Symmetric zero padding on each spatial side, as PyTorch's `padding`. */
  padding: number;
  groups: number;
}

/**
 * A grouped 2-D convolution (PyTorch `Conv2d(groups=G)`), which TF.js lacks.
 *
 * Input channels and output channels are split into G contiguous groups; group g's outputs see only
 * group g's inputs. Instead of G separate convolutions (G small kernels per call) or one dense
 * convolution with a block-diagonal filter (G times the work), the patches are gathered once
 * (im2col: k*k shifted slices) and all groups run as one batched matrix product,
 * `[G, N*Ho*Wo, k*k*cin_g] x [G, k*k*cin_g, cout_g]`. That is exactly the grouped FLOP count, uses
 * only ops with gradients on every backend (pad, slice, reshape, concat, transpose, batched
 * matMul), none above rank 4, and costs k*k/stride^2 copies of the input in memory.
 *
 * `filter` is `[k, k, cin_g, cout]` (TF's grouped layout); `x` is NHWC with `cin = G * cin_g`.
 */
export function groupedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, options: GroupedConv2dOptions): tf.Tensor4D {
  const { stride, padding, groups } = options;
  const [n, h, w, cin] = x.shape;
  const [kh, kw, cinPerGroup, cout] = filter.shape;
  if (cin !== cinPerGroup * groups || cout % groups !== 0) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `Grouped conv: input has ${cin} channels and the filter [${filter.shape.join(', ')}] with ${groups} groups needs ${cinPerGroup * groups}.`,
    );
  }
  const coutPerGroup = cout / groups;
  const ho = Math.floor((h + 2 * padding - kh) / stride) + 1;
  const wo = Math.floor((w + 2 * padding - kw) / stride) + 1;
  return tf.tidy(() => {
    // Extra bottom/right padding lets every shifted window take ho*stride rows before subsampling.
    const extraH = Math.max(0, kh - 1 + ho * stride - (h + 2 * padding));
    const extraW = Math.max(0, kw - 1 + wo * stride - (w + 2 * padding));
    const padded = tf.pad(x, [
      [0, 0],
      [padding, padding + extraH],
      [padding, padding + extraW],
      [0, 0],
    ]);
    const m = n * ho * wo;
    const patches: tf.Tensor3D[] = [];
    for (let dy = 0; dy < kh; dy++) {
      for (let dx = 0; dx < kw; dx++) {
        const window = tf.slice(padded, [0, dy, dx, 0], [n, ho * stride, wo * stride, cin]);
        patches.push(tf.reshape(stride === 1 ? window : everyNth(window, stride, ho, wo), [m, 1, cin]));
      }
    }
    const stacked = tf.concat(patches, 1); // [m, k*k, cin]
    const columns = tf.reshape(tf.transpose(tf.reshape(stacked, [m, kh * kw, groups, cinPerGroup]), [2, 0, 1, 3]), [
      groups,
      m,
      kh * kw * cinPerGroup,
    ]);
    const weights = tf.reshape(
      tf.transpose(tf.reshape(filter, [kh * kw, cinPerGroup, groups, coutPerGroup]), [2, 0, 1, 3]),
      [groups, kh * kw * cinPerGroup, coutPerGroup],
    );
    const products = tf.matMul(columns as tf.Tensor3D, weights as tf.Tensor3D); // [G, m, cout_g]
    return tf.reshape(tf.transpose(products, [1, 0, 2]), [n, ho, wo, cout]) as tf.Tensor4D;
  });
}

/**
 * Rows and columns 0, s, 2s, ... of a `[n, ho*s, wo*s, c]` window, by reshape and slice (no strided
 * slice: it has no gradient), rows then columns so no tensor exceeds rank 4: tfjs-backend-webgpu
 * 4.22 computes Slice and Pad of rank 5 and 6 wrongly (its shaders index WGSL vectors of that size).
 */
function everyNth(window: tf.Tensor4D, s: number, ho: number, wo: number): tf.Tensor4D {
  const [n, , , c] = window.shape;
  const rows = tf.slice(tf.reshape(window, [n * ho, s, wo * s, c]), [0, 0, 0, 0], [n * ho, 1, wo * s, c]);
  const columns = tf.slice(tf.reshape(rows, [n * ho, wo, s, c]), [0, 0, 0, 0], [n * ho, wo, 1, c]);
  return tf.reshape(columns, [n, ho, wo, c]) as tf.Tensor4D;
}
