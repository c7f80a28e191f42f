import { LtlabError } from '@ltlab/core';
import { batchNormTrain, movingAverage } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormReplicas } from './batch-norm-replicas.js';
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
 * Inside `withBatchNormReplicas(n, ...)` training normalises each of n chunks of the batch with
 * its own statistics, as n data-parallel devices do (batch-norm-replicas.ts).
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
  const checkCount = (count: number): void => {
    if (count < 2) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `BatchNorm ${name} in training mode needs more than one value per channel, got ${count}.`,
        { fix: 'Train with a batch (per replica, with replicas.count) of at least 2 samples.' },
      );
    }
  };
  const updateRunning = (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number): void => {
    // One kernel each on native, which the tape keeps no tensors for (no gradient flows here).
    runningMean.value.assign(movingAverage(runningMean.value, mean, BN_MOMENTUM));
    runningVar.value.assign(movingAverage(runningVar.value, variance, BN_MOMENTUM, count / (count - 1)));
  };
  /**
   * Per-device BN of `replicas` data-parallel devices (batch-norm-replicas.ts): each chunk of the
   * batch normalised with its own statistics, the running statistics updated from chunk 0's.
   */
  const replicaTrain = (x: tf.Tensor, replicas: number): tf.Tensor => {
    const rows = x.shape[0] as number;
    if (rows % replicas !== 0) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `BatchNorm ${name} splits its batch of ${rows} over ${replicas} replicas, which does not divide it.`,
        { fix: 'Set replicas.count to a divisor of batchSize.' },
      );
    }
    const count = x.size / channels / replicas;
    checkCount(count);
    const outputs = tf.split(x, replicas, 0).map((chunk, index) => {
      const { y, mean, variance } = batchNormTrain(
        chunk,
        weight.value as tf.Tensor1D,
        bias.value as tf.Tensor1D,
        BN_EPSILON,
      );
      if (index === 0) updateRunning(mean, variance, count);
      return y;
    });
    return tf.concat(outputs, 0);
  };
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
        const replicas = batchNormReplicas();
        if (replicas > 1) return replicaTrain(x, replicas) as T;
        const count = x.size / channels;
        checkCount(count);
        // Closed-form backward and XNNPACK passes on wasm; the gradient reaches x also through
        // the batch mean and variance, as with tf.moments + autodiff (2x the step time on wasm).
        const { y, mean, variance } = batchNormTrain(
          x,
          weight.value as tf.Tensor1D,
          bias.value as tf.Tensor1D,
          BN_EPSILON,
        );
        updateRunning(mean, variance, count);
        return y as T;
      });
    },
  };
}
