import { LtlabError } from '@ltlab/core';
import { batchNormTrain, movingAverage } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { constant } from './init-rule.js';
import type { ParamDeclarer, ParamRef } from './param-set.js';

/** PyTorch's BatchNorm defaults. */
export const BN_MOMENTUM = 0.1;
export const BN_EPSILON = 1e-5;

/**
 * Batch normalisation over the last (channel) axis of NHWC maps or `[B, C]` features, with
 * PyTorch semantics (Ioffe & Szegedy 2015, eq. in Alg. 1):
 * - training: normalise with the batch mean and biased variance, then update
 *   `running = (1 - 0.1) * running + 0.1 * batch`, where the running variance takes the
 *   **unbiased** batch variance (n / (n - 1));
 * - evaluation: normalise with the running statistics.
 * gamma starts at 1, beta at 0, running mean 0, running variance 1.
 */
export interface BatchNorm {
  readonly weight: ParamRef;
  readonly bias: ParamRef;
  readonly runningMean: ParamRef;
  readonly runningVar: ParamRef;
  apply<T extends tf.Tensor2D | tf.Tensor4D>(x: T, training: boolean): T;
}

export function createBatchNorm(params: ParamDeclarer, name: string, channels: number): BatchNorm {
  const weight = params.declare({ name: `${name}.weight`, shape: [channels], role: 'parameter', init: constant(1) });
  const bias = params.declare({ name: `${name}.bias`, shape: [channels], role: 'parameter', init: constant(0) });
  const runningMean = params.declare({
    name: `${name}.running_mean`,
    shape: [channels],
    role: 'buffer',
    init: constant(0),
  });
  const runningVar = params.declare({
    name: `${name}.running_var`,
    shape: [channels],
    role: 'buffer',
    init: constant(1),
  });
  return {
    weight,
    bias,
    runningMean,
    runningVar,
    apply<T extends tf.Tensor2D | tf.Tensor4D>(x: T, training: boolean): T {
      return tf.tidy(() => {
        if (!training) {
          return tf.batchNorm(x, runningMean.value, runningVar.value, bias.value, weight.value, BN_EPSILON) as T;
        }
        const count = x.size / channels;
        if (count < 2) {
          throw new LtlabError(
            'CONFIG.INVALID',
            `BatchNorm ${name} in training mode needs more than one value per channel, got ${count}.`,
            { fix: 'Train with a batch of at least 2 samples.' },
          );
        }
        // Closed-form backward and XNNPACK passes on wasm; the gradient reaches x also through
        // the batch mean and variance, as with tf.moments + autodiff (2x the step time on wasm).
        const { y, mean, variance } = batchNormTrain(
          x,
          weight.value as tf.Tensor1D,
          bias.value as tf.Tensor1D,
          BN_EPSILON,
        );
        // One kernel each on native, which the tape keeps no tensors for (no gradient flows here).
        runningMean.value.assign(movingAverage(runningMean.value, mean, BN_MOMENTUM));
        runningVar.value.assign(movingAverage(runningVar.value, variance, BN_MOMENTUM, count / (count - 1)));
        return y as T;
      });
    },
  };
}
