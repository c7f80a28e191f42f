import * as tf from '@tensorflow/tfjs-core';
import { channelAffine, channelMeans } from './channel-ops.js';
import { BATCH_NORM_TRAIN } from './native/kernels/batch-norm.js';
import { NATIVE_BACKEND } from './native/native-backend.js';

/**
 * Batch normalization in train mode (Ioffe & Szegedy, ICML 2015, Alg. 1 and its backward pass):
 * y = gamma * (x - mu) / sqrt(var + eps) + beta with mu, var the biased statistics over every
 * axis but the last (channels). Same values and gradients (for x, gamma, beta) as
 * `tf.moments` + `tf.batchNorm`, but the backward pass is the closed form
 *   dx = gamma * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
 * instead of the ~10 full-size passes autodiff makes through moments. Every pass is a TF.js
 * kernel: on wasm the per-channel means are staged average pools and the per-channel affine maps
 * 1x1 depthwise convolutions (`channel-ops.ts`), all XNNPACK and multi-threaded when the
 * backend is; the JS loops over the heap they replace took 5-10x as long.
 *
 * `mean` and `variance` are returned for running averages and carry no gradient.
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (tf.getBackend() === NATIVE_BACKEND && x.dtype === 'float32') {
    // One oneDNN primitive each way; its gradient is registered with the kernel.
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as [
      tf.Tensor,
      tf.Tensor1D,
      tf.Tensor1D,
    ];
    return { y, mean, variance };
  }
  // The statistics are computed outside customGrad (whose forward runs inside a tidy) and reach
  // it by closure, not as inputs: the tape then sees only x, gamma and beta, and the closed-form
  // gradient below accounts for the statistics' dependence on x.
  const { mean, variance } = channelMoments(x);
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const y = tf.batchNorm(xs, mean, variance, b, g, epsilon);
    save([xs, g, mean, variance]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        return batchNormTrainGrad(sx, dy, sg, sm, sv, epsilon);
      },
    };
  });
  return { y: fused(x, gamma, beta), mean, variance };
}

/** x − μ per channel, as one affine pass. */
function centred(x: tf.Tensor, mean: tf.Tensor1D): tf.Tensor {
  return channelAffine(x, tf.onesLike(mean), tf.neg(mean));
}

/**
 * Two passes (mean, then the centred squares), so a large mean does not cancel the variance.
 * Run as a customGrad with no gradient so that the tape does not keep the full-size
 * intermediates of every layer alive until the backward pass.
 */
function channelMoments(x: tf.Tensor): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const stacked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor;
    const mean = channelMeans(xs);
    const variance = channelMeans(tf.square(centred(xs, mean)));
    return { value: tf.stack([mean, variance]), gradFunc: () => [tf.zerosLike(xs)] };
  })(x);
  const [mean, variance] = tf.unstack(stacked) as [tf.Tensor1D, tf.Tensor1D];
  stacked.dispose();
  return { mean, variance };
}

function batchNormTrainGrad(
  x: tf.Tensor,
  dy: tf.Tensor,
  gamma: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  epsilon: number,
): tf.Tensor[] {
  const rows = x.size / (x.shape.at(-1) as number);
  return tf.tidy(() => {
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const meanDy = channelMeans(dy);
    // x − μ is recomputed (one pass) rather than saved from the forward pass, which would keep a
    // full-size tensor per layer alive until the backward pass.
    const meanDyCentred = channelMeans(tf.mul(dy, centred(x, mean)));
    // dx = k1·dy + k2·(x − μ) + k3 per channel (the closed form above, expanded), computed as
    // two per-channel affine maps: (k1·dy + k3 − k2·μ) + k2·x.
    const k1 = tf.mul(gamma, rstd) as tf.Tensor1D;
    const k2 = tf.mul(tf.neg(k1), tf.mul(tf.square(rstd), meanDyCentred)) as tf.Tensor1D;
    const k3 = tf.mul(tf.neg(k1), meanDy);
    const dx = tf.add(
      channelAffine(dy, k1, tf.sub(k3, tf.mul(k2, mean)) as tf.Tensor1D),
      channelAffine(x, k2, tf.zerosLike(k2)),
    );
    return [dx, tf.mul(tf.mul(meanDyCentred, rstd), rows), tf.mul(meanDy, rows)];
  });
}
