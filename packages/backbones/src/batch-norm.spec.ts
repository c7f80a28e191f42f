import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BN_EPSILON, createBatchNorm } from './batch-norm.js';
import { ParamSet } from './param-set.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function makeBn(channels: number) {
  const params = new ParamSet();
  const bn = createBatchNorm(params, 'bn', channels);
  params.materialize({ seed: 0 }, true);
  return { params, bn };
}

describe('batch norm', () => {
  it('normalises with batch statistics in training and updates running stats as PyTorch (momentum 0.1, unbiased var)', () => {
    const { params, bn } = makeBn(2);
    // Channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: 0, 0, 4, 4 (mean 2, var 4, unbiased 16/3).
    const x = tf.tensor2d([
      [1, 0],
      [2, 0],
      [3, 4],
      [6, 4],
    ]);
    tf.tidy(() => {
      bn.weight.value.assign(tf.tensor1d([2, 1]));
      bn.bias.value.assign(tf.tensor1d([0.5, -1]));
    });
    const y = bn.apply(x, true);
    const expected = [
      [1, 0],
      [2, 0],
      [3, 4],
      [6, 4],
    ].map(([a, b]) => [
      (2 * ((a as number) - 3)) / Math.sqrt(3.5 + BN_EPSILON) + 0.5,
      ((b as number) - 2) / Math.sqrt(4 + BN_EPSILON) - 1,
    ]);
    const got = y.arraySync() as number[][];
    got.flat().forEach((v, i) => {
      expect(v).toBeCloseTo(expected.flat()[i] as number, 5);
    });
    const mean = bn.runningMean.value.dataSync();
    const variance = bn.runningVar.value.dataSync();
    expect(mean[0]).toBeCloseTo(0.3, 6);
    expect(mean[1]).toBeCloseTo(0.2, 6);
    expect(variance[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 6);
    expect(variance[1]).toBeCloseTo(0.9 + 0.1 * (16 / 3), 6);

    // Evaluation uses the running statistics and leaves them alone.
    const z = bn.apply(tf.tensor2d([[0.3, 0.2]]), false);
    expect(z.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(z.dataSync()[1]).toBeCloseTo(-1, 6);
    expect(bn.runningMean.value.dataSync()[0]).toBeCloseTo(0.3, 6);
    tf.dispose([x, y, z]);
    params.dispose();
  });

  it('reduces NHWC maps over batch, height and width', () => {
    const { params, bn } = makeBn(3);
    const x = tf.randomNormal([2, 3, 3, 3], 4, 2, 'float32', 1) as tf.Tensor4D;
    const y = bn.apply(x, true);
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    mean.dataSync().forEach((v) => {
      expect(Math.abs(v)).toBeLessThan(1e-5);
    });
    variance.dataSync().forEach((v) => {
      expect(v).toBeCloseTo(1, 3);
    });
    tf.dispose([x, y, mean, variance]);
    params.dispose();
  });

  it('passes gradients through the batch statistics (sum of a BN output has zero gradient)', () => {
    const { params, bn } = makeBn(2);
    const x = tf.randomNormal([5, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(bn.apply(input as tf.Tensor2D, true)))(x);
    gradient.dataSync().forEach((v) => {
      expect(Math.abs(v)).toBeLessThan(1e-5);
    });
    tf.dispose([x, gradient]);
    params.dispose();
  });

  it('refuses training on a single value per channel, as PyTorch does', () => {
    const { params, bn } = makeBn(2);
    const x = tf.ones([1, 2]) as tf.Tensor2D;
    expect(() => bn.apply(x, true)).toThrow(/more than one value/);
    x.dispose();
    params.dispose();
  });
});
