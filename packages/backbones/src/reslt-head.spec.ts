import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from './registry.js';
import { ResltHead } from './reslt-head.js';
import { tauNormalizedLogits } from './tau-norm.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

describe('ResltHead', () => {
  it('cifar: three BN branches over the last map, pooled, through the shared classifier', () => {
    const backbone = createBackbone('resnet8', { numClasses: 4, inputShape: [8, 8, 3], seed: 1 });
    const head = ResltHead.create(backbone);
    expect(head.variant).toBe('cifar');
    expect(head.namedParameters().map(([name]) => name)).toEqual([
      'BNH.weight',
      'BNH.bias',
      'BNM.weight',
      'BNM.bias',
      'BNT.weight',
      'BNT.bias',
    ]);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    // Fresh BNs in eval mode are x / sqrt(1 + eps): every branch equals the plain model.
    const logits = head.forward(x, { training: false });
    const plain = tf.tidy(() => tf.div(backbone.features(x, { training: false }), Math.sqrt(1 + 1e-5)) as tf.Tensor2D);
    const plainLogits = backbone.head(plain);
    for (const branch of [logits.logitsH, logits.logitsM, logits.logitsT]) {
      expect(branch.shape).toEqual([2, 4]);
      expect(maxAbsDiff(branch, plainLogits)).toBeLessThan(1e-5);
    }
    // Gradients reach the trunk, the shared classifier and every branch BN.
    const vars = [...backbone.trainableVariables, ...head.trainableVariables];
    const { value, grads } = tf.variableGrads(() => {
      const out = head.forward(x, { training: true });
      return tf.sum(
        tf.add(tf.add(tf.square(out.logitsH), tf.square(out.logitsM)), tf.square(out.logitsT)),
      ) as tf.Scalar;
    }, vars);
    expect(Object.keys(grads)).toHaveLength(vars.length);
    tf.dispose([x, logits.logitsH, logits.logitsM, logits.logitsT, plain, plainLogits, value, ...Object.values(grads)]);
    head.dispose();
    backbone.dispose();
  });

  it('imagenet: 1x1 conv to 3D + BN + ReLU, split H/M/T; pooling order depends on mode and afterConv1x1', () => {
    // 64x64 input leaves a 2x2 last map, so pooling is not the identity.
    const backbone = createBackbone('resnet10', { numClasses: 3, inputShape: [64, 64, 3], seed: 1 });
    const after = ResltHead.create(backbone, { afterConv1x1: true, seed: 5 });
    const before = ResltHead.create(backbone, { afterConv1x1: false, seed: 5 });
    expect(after.variant).toBe('imagenet');
    expect(after.namedParameters().map(([name, v]) => [name, v.shape])).toEqual([
      ['finalBlock.0.weight', [1, 1, 512, 1536]],
      ['finalBlock.1.weight', [1536]],
      ['finalBlock.1.bias', [1536]],
    ]);
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const [h, m, t] = after.branchFeatures(x, { training: false });
    expect([h.shape, m.shape, t.shape]).toEqual([
      [2, 512],
      [2, 512],
      [2, 512],
    ]);
    // Eval: pool first, so both heads (same seed) agree; and the result is ReLU(block(mean)).
    const [h2] = before.branchFeatures(x, { training: false });
    expect(maxAbsDiff(h, h2)).toBe(0);
    // Training with afterConv1x1 is mean(ReLU(.)) and differs from ReLU(mean(.)).
    const [trainAfter] = after.branchFeatures(x, { training: true });
    const [trainBefore] = before.branchFeatures(x, { training: true });
    expect(maxAbsDiff(trainAfter, trainBefore)).toBeGreaterThan(1e-3);
    tf.dispose([x, h, m, t, h2, trainAfter, trainBefore]);
    after.dispose();
    before.dispose();
    backbone.dispose();
  });

  it('scores with tau-normalised weights and no bias at inference', () => {
    const backbone = createBackbone('resnet8', { numClasses: 2, inputShape: [8, 8, 3], seed: 1 });
    const head = ResltHead.create(backbone);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const [h] = head.branchFeatures(x, { training: false });
    const { logitsH, logitsM, logitsT } = head.forward(x, { training: false, tauNormGamma: 0.7 });
    const expected = tauNormalizedLogits(h, backbone.classifier.weight.value as tf.Tensor2D, 0.7);
    expect(maxAbsDiff(logitsH, expected)).toBeLessThan(1e-6);
    tf.dispose([x, h, logitsH, logitsM, logitsT, expected]);
    head.dispose();
    backbone.dispose();
  });
});

describe('tauNormalizedLogits', () => {
  it('divides each class weight by its norm to the power gamma', () => {
    // Class 0 weight (3, 4) has norm 5; class 1 weight (0, 2) has norm 2.
    const weight = tf.tensor2d([
      [3, 0],
      [4, 2],
    ]);
    const features = tf.tensor2d([[1, 1]]);
    const full = tauNormalizedLogits(features, weight, 1).dataSync();
    expect(full[0]).toBeCloseTo(7 / 5, 6);
    expect(full[1]).toBeCloseTo(2 / 2, 6);
    const half = tauNormalizedLogits(features, weight, 0.5).dataSync();
    expect(half[0]).toBeCloseTo(7 / Math.sqrt(5), 5);
    expect(half[1]).toBeCloseTo(2 / Math.sqrt(2), 5);
    const none = tauNormalizedLogits(features, weight, 0).dataSync();
    expect(Array.from(none)).toEqual([7, 2]);
    tf.dispose([weight, features]);
  });
});
