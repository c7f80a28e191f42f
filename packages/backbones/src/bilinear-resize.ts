import * as tf from '@tensorflow/tfjs-core';
import { applyAlongAxis } from './axis-matrix.js';

/** The two source rows (or columns) each output row reads and the weight of the second one. */
export interface InterpolationTaps {
  lower: Int32Array;
  upper: Int32Array;
  upperWeight: Float32Array;
}

/**
 * PyTorch's `F.interpolate(mode='bilinear')` source coordinates along one axis (the
 * `area_pixel_compute_source_index` rule with a target size):
 * - `alignCorners: true`: corner pixels map onto corner pixels, src = dst * (in - 1) / (out - 1);
 * - `alignCorners: false`: pixel centres map onto pixel centres, src = (dst + 0.5) * in / out - 0.5,
 *   clamped at 0 (past the last pixel the second tap repeats the last row).
 */
export function interpolationTaps(inSize: number, outSize: number, alignCorners: boolean): InterpolationTaps {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const upperWeight = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const source = alignCorners
      ? outSize > 1
        ? (i * (inSize - 1)) / (outSize - 1)
        : 0
      : Math.max(((i + 0.5) * inSize) / outSize - 0.5, 0);
    const low = Math.min(Math.floor(source), inSize - 1);
    lower[i] = low;
    upper[i] = Math.min(low + 1, inSize - 1);
    // Past the last pixel both taps read it (PyTorch's h1p = 0): the weight no longer matters.
    upperWeight[i] = upper[i] === low ? 0 : source - low;
  }
  return { lower, upper, upperWeight };
}

/** The taps as an `[out, in]` matrix: row i holds 1 - w at its lower source and w at its upper one. */
export function interpolationMatrix(inSize: number, outSize: number, alignCorners: boolean): Float32Array {
  const { lower, upper, upperWeight } = interpolationTaps(inSize, outSize, alignCorners);
  const matrix = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const w = upperWeight[i] as number;
    const row = i * inSize;
    matrix[row + (lower[i] as number)] = (matrix[row + (lower[i] as number)] as number) + 1 - w;
    matrix[row + (upper[i] as number)] = (matrix[row + (upper[i] as number)] as number) + w;
  }
  return matrix;
}

function interpolateAxis(x: tf.Tensor4D, axis: 1 | 2, outSize: number, alignCorners: boolean): tf.Tensor4D {
  const inSize = x.shape[axis];
  if (inSize === outSize) return x; // both modes map every pixel onto itself
  const matrix = tf.tensor2d(interpolationMatrix(inSize, outSize, alignCorners), [outSize, inSize]);
  return applyAlongAxis(x, axis, matrix);
}

/**
 * Bilinear resize of an NHWC map to `[height, width]` with PyTorch's semantics for both
 * `align_corners` modes (mmsegmentation's `resize`). TF.js's own resizeBilinear has
 * `halfPixelCenters`, but its gradient kernel ignores the flag, so this one is two separable
 * passes, each a matMul with the `[out, in]` interpolation matrix: exact gradients (the
 * transposed matrix) with fast kernels on every backend.
 */
export function resizeBilinear(
  x: tf.Tensor4D,
  size: readonly [number, number],
  options: { alignCorners: boolean },
): tf.Tensor4D {
  const [height, width] = size;
  return tf.tidy(() => {
    const rows = interpolateAxis(x, 1, height, options.alignCorners);
    const out = interpolateAxis(rows, 2, width, options.alignCorners);
    return out === x ? tf.clone(x) : out;
  });
}
