import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-kernels/wasm-heap.js';

/**
 * Batch normalization in train mode (Ioffe & Szegedy, ICML 2015, Alg. 1 and its backward pass):
 * y = gamma * (x - mu) / sqrt(var + eps) + beta with mu, var the biased statistics over every
 * axis but the last (channels). Same values and gradients (for x, gamma, beta) as
 * `tf.moments` + `tf.batchNorm`, but the backward pass is the closed form
 *   dx = gamma * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
 * instead of the ~10 full-size passes autodiff makes through moments. On wasm, statistics and
 * both backward sums are single JS passes over the heap (float64 accumulators).
 *
 * `mean` and `variance` are returned for running averages and carry no gradient.
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const channels = x.shape.at(-1) as number;
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  // The statistics are computed outside customGrad (whose forward runs inside a tidy) and reach
  // it by closure, not as inputs: the tape then sees only x, gamma and beta, and the closed-form
  // gradient below accounts for the statistics' dependence on x.
  const { mean, variance } = channelMoments(x, channels, axes);
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const y = tf.batchNorm(xs, mean, variance, b, g, epsilon);
    save([xs, g, mean, variance]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        return batchNormTrainGrad(sx, dy, sg, sm, sv, epsilon, channels, axes);
      },
    };
  });
  return { y: fused(x, gamma, beta), mean, variance };
}

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

function fromHeap(shape: number[], fill: (out: Float32Array) => void): tf.Tensor {
  const wasm = asWasmBackend(tf.backend());
  const info = wasm.makeOutput(shape, 'float32');
  fill(wasm.typedArrayFromHeap(info) as Float32Array);
  return tf.engine().makeTensorFromTensorInfo(info);
}

function heap(t: tf.Tensor): Float32Array {
  return asWasmBackend(tf.backend()).typedArrayFromHeap(t) as Float32Array;
}

function channelMoments(x: tf.Tensor, channels: number, axes: number[]): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (!onWasm() || x.dtype !== 'float32') {
    const { mean, variance } = tf.moments(x, axes);
    return { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  const v = heap(x);
  const rows = x.size / channels;
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let r = 0, at = 0; r < rows; r++, at += channels) {
    for (let c = 0; c < channels; c++) {
      const value = v[at + c] as number;
      sum[c] = (sum[c] as number) + value;
      sumSq[c] = (sumSq[c] as number) + value * value;
    }
  }
  const meanValues = sum.map((s) => s / rows);
  const mean = fromHeap([channels], (out) => out.set(meanValues)) as tf.Tensor1D;
  const variance = fromHeap([channels], (out) => {
    for (let c = 0; c < channels; c++)
      out[c] = Math.max(0, (sumSq[c] as number) / rows - (meanValues[c] as number) ** 2);
  }) as tf.Tensor1D;
  return { mean, variance };
}

function batchNormTrainGrad(
  x: tf.Tensor,
  dy: tf.Tensor,
  gamma: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  epsilon: number,
  channels: number,
  axes: number[],
): tf.Tensor[] {
  if (!onWasm() || x.dtype !== 'float32') {
    return tf.tidy(() => {
      const rstd = tf.rsqrt(tf.add(variance, epsilon));
      const xhat = tf.mul(tf.sub(x, mean), rstd);
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.sum(tf.mul(dy, xhat), axes);
      const n = x.size / channels;
      const centered = tf.sub(tf.sub(dy, tf.div(dBeta, n)), tf.mul(xhat, tf.div(dGamma, n)));
      return [tf.mul(centered, tf.mul(gamma, rstd)), dGamma, dBeta];
    });
  }
  const xv = heap(x);
  const dv = heap(dy);
  const m = heap(mean);
  const vv = heap(variance);
  const gv = heap(gamma);
  const rows = x.size / channels;
  const sumDy = new Float64Array(channels);
  const sumDyXc = new Float64Array(channels);
  for (let r = 0, at = 0; r < rows; r++, at += channels) {
    for (let c = 0; c < channels; c++) {
      const d = dv[at + c] as number;
      sumDy[c] = (sumDy[c] as number) + d;
      sumDyXc[c] = (sumDyXc[c] as number) + d * ((xv[at + c] as number) - (m[c] as number));
    }
  }
  // dx = k1 * dy + k2 * x + k3 per channel (closed form above, expanded).
  const k1 = new Float64Array(channels);
  const k2 = new Float64Array(channels);
  const k3 = new Float64Array(channels);
  const dGammaValues = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt((vv[c] as number) + epsilon);
    const g = gv[c] as number;
    dGammaValues[c] = (sumDyXc[c] as number) * rstd;
    k1[c] = g * rstd;
    k2[c] = (-g * rstd * rstd * rstd * (sumDyXc[c] as number)) / rows;
    k3[c] = (-g * rstd * (sumDy[c] as number)) / rows - (m[c] as number) * (k2[c] as number);
  }
  const dx = fromHeap([...x.shape], (out) => {
    // Views taken before makeOutput may be detached by heap growth: read through fresh ones.
    const xs = heap(x);
    const ds = heap(dy);
    for (let r = 0, at = 0; r < rows; r++, at += channels) {
      for (let c = 0; c < channels; c++) {
        out[at + c] =
          (k1[c] as number) * (ds[at + c] as number) + (k2[c] as number) * (xs[at + c] as number) + (k3[c] as number);
      }
    }
  });
  const dGamma = fromHeap([channels], (out) => out.set(dGammaValues));
  const dBeta = fromHeap([channels], (out) => out.set(sumDy));
  return [dx, dGamma, dBeta];
}
