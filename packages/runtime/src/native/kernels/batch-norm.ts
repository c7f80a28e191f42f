import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { allFloat32, ints, nativeKernel } from '../native-backend.js';

/** Batch norm in train mode on native: outputs [y, batch mean, biased batch variance]. */
export const BATCH_NORM_TRAIN = 'LtlabBatchNormTrain';
/** Its backward pass: outputs [dx, dgamma, dbeta]. */
export const BATCH_NORM_TRAIN_GRAD = 'LtlabBatchNormTrainGrad';

const TRAIN = 0;
const INFERENCE = 1;
const BACKWARD = 2;

/** [rows, C, 1, 1]: oneDNN's NHWC batch norm over the flattened non-channel axes. */
function dims(x: TensorInfo): Int32Array {
  const channels = x.shape.at(-1) as number;
  return ints([util.sizeFromShape(x.shape) / channels, channels, 1, 1]);
}

export const batchNormTrainConfig: KernelConfig = nativeKernel(BATCH_NORM_TRAIN, ({ inputs, attrs, backend }) => {
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const channels = x.shape.at(-1) as number;
  const y = backend.output([...x.shape]);
  const mean = backend.output([channels]);
  const variance = backend.output([channels]);
  const { epsilon } = attrs as { epsilon: number };
  backend.addon.batchNorm(
    TRAIN,
    dims(x),
    epsilon,
    backend.f32(x),
    backend.f32(gamma),
    backend.f32(beta),
    y.values,
    mean.values,
    variance.values,
  );
  return [y.info, mean.info, variance.info];
});

export const batchNormTrainGradKernelConfig: KernelConfig = nativeKernel(
  BATCH_NORM_TRAIN_GRAD,
  ({ inputs, attrs, backend }) => {
    const { x, gamma, mean, variance, dy } = inputs as Record<string, TensorInfo>;
    if (x === undefined || gamma === undefined || mean === undefined || variance === undefined || dy === undefined)
      throw new Error(`${BATCH_NORM_TRAIN_GRAD}: missing input`);
    const channels = x.shape.at(-1) as number;
    const dx = backend.output([...x.shape]);
    const dgamma = backend.output([channels]);
    const dbeta = backend.output([channels]);
    const { epsilon } = attrs as { epsilon: number };
    backend.addon.batchNorm(
      BACKWARD,
      dims(x),
      epsilon,
      backend.f32(x),
      backend.f32(gamma),
      backend.f32(mean),
      backend.f32(variance),
      backend.f32(dy),
      dx.values,
      dgamma.values,
      dbeta.values,
    );
    return [dx.info, dgamma.info, dbeta.info];
  },
);

/**
 * The closed-form backward pass of batch norm in train mode (Ioffe & Szegedy, ICML 2015, Sec. 3),
 * as one oneDNN primitive. The mean and variance outputs carry no gradient: callers use them only
 * for running averages.
 */
export const batchNormTrainGradConfig: GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as Tensor;
    const [x, gamma, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
    // Computed here, not in the closures: the tape runs each closure in its own tidy, which
    // would dispose the two outputs that closure does not return.
    const [dx, dgamma, dbeta] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAIN_GRAD, { x, gamma, mean, variance, dy }, attrs ?? {}) as [Tensor, Tensor, Tensor];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};

/** tf.batchNorm with per-channel statistics (evaluation mode) on oneDNN; other shapes on cpu. */
export const fusedBatchNormConfig: KernelConfig = nativeKernel('FusedBatchNorm', ({ inputs, attrs, backend }) => {
  const { x, mean, variance, offset, scale } = inputs as Record<string, TensorInfo | undefined>;
  if (x === undefined || mean === undefined || variance === undefined) return undefined;
  if (!allFloat32(x, mean, variance, offset, scale) || x.shape.length === 0) return undefined;
  const channels = x.shape.at(-1) as number;
  if ([mean, variance, offset, scale].some((t) => t !== undefined && util.sizeFromShape(t.shape) !== channels))
    return undefined;
  const { varianceEpsilon } = attrs as { varianceEpsilon: number };
  const y = backend.output([...x.shape]);
  const gamma = scale === undefined ? new Float32Array(channels).fill(1) : backend.f32(scale);
  const beta = offset === undefined ? new Float32Array(channels) : backend.f32(offset);
  backend.addon.batchNorm(
    INFERENCE,
    dims(x),
    varianceEpsilon,
    backend.f32(x),
    gamma,
    beta,
    y.values,
    backend.f32(mean),
    backend.f32(variance),
  );
  return y.info;
});
