import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from './registry.js';

beforeAll(async () => {
  await initRuntime({ backend: 'wasm' });
});

describe('training on the wasm backend', () => {
  it('lowers the loss of resnet8 on random data in a few SGD steps', () => {
    expect(tf.getBackend()).toBe('wasm');
    const backbone = createBackbone('resnet8', { numClasses: 4, inputShape: [8, 8, 3], seed: 3 });
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
    const optimizer = tf.train.momentum(0.05, 0.9);
    const lossOf = () => tf.losses.softmaxCrossEntropy(labels, backbone.forward(x, { training: true })) as tf.Scalar;
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const loss = optimizer.minimize(lossOf, true, backbone.trainableVariables);
      losses.push(loss?.dataSync()[0] ?? Number.NaN);
      loss?.dispose();
    }
    console.log(`resnet8 on wasm, loss per step: ${losses.map((l) => l.toFixed(4)).join(' ')}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.8);
    tf.dispose([x, labels]);
    optimizer.dispose();
    backbone.dispose();
  });
});
