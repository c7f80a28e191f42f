import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of FusedBatchNorm (y = (x - mean) * rsqrt(variance + eps) * scale + offset) written
 * with broadcasting instead of tfjs-core's `tile` of rsqrt to the full input size (wasm's Tile is
 * a slow element loop). Same formulas, so every backend may use it.
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dyOrList: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = Array.isArray(dyOrList) ? (dyOrList[0] as Tensor) : dyOrList;
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: Tensor, like: Tensor): Tensor =>
      tf.reshape(reductionAxes.length > 0 ? tf.sum(t, reductionAxes) : t, like.shape);
    const rstd = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
    const rstdScaled = scale === undefined || scale === null ? rstd : tf.mul(rstd, scale);
    // sum(dy * (x - mean)) feeds both the variance and the scale gradient: computed once, here,
    // because the tape runs each closure below in its own tidy scope.
    const dyDotCentered = reduce(tf.mul(dy, tf.sub(x, mean)), mean);
    const sumDyCentered = (): Tensor => dyDotCentered;
    return {
      x: () => tf.mul(dy, rstdScaled),
      mean: () => tf.neg(tf.mul(reduce(dy, mean), tf.reshape(rstdScaled, mean.shape))),
      variance: () => {
        // d/dvar = -0.5 * rstd^3 * scale * sum(dy * (x - mean))
        const coef = tf.mul(tf.mul(tf.square(rstd), rstdScaled), tf.scalar(-0.5));
        return tf.reshape(tf.mul(sumDyCentered(), coef), variance.shape);
      },
      scale: () => tf.reshape(tf.mul(sumDyCentered(), rstd), mean.shape),
      offset: () => reduce(dy, mean),
    };
  },
};
