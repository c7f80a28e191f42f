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

  it('scores every branch with tau-normalised weights and no bias, and predicts zH + zM + zT', () => {
    const backbone = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 3], seed: 1 });
    const head = ResltHead.create(backbone);
    // Class norms 100x apart (so tau-norm changes the ranking) and a bias tau-norm must leave out.
    const scales = [0.1, 1, 10];
    const weight = Array.from({ length: backbone.featureDim }, (_, d) =>
      scales.map((scale, c) => scale * Math.sin(d + 2 * c + 1)),
    );
    const bias = [5, -3, 2];
    backbone.classifier.weight.value.assign(tf.tensor2d(weight));
    backbone.classifier.bias?.value.assign(tf.tensor1d(bias));
    // Distinct branches, so a fusion that drops or repeats one is caught: eval BN is x·gamma + beta.
    const bn = new Map(head.namedParameters());
    bn.get('BNM.weight')?.assign(tf.fill([backbone.featureDim], 2));
    bn.get('BNT.weight')?.assign(tf.fill([backbone.featureDim], -0.5));
    bn.get('BNT.bias')?.assign(tf.fill([backbone.featureDim], 0.3));

    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const features = head.branchFeatures(x, { training: false });
    const [h, m, t] = features.map((f) => f.arraySync());
    const gamma = 0.7;
    const [zH, zM, zT] = [h, m, t].map((f) => tauNormByHand(f as number[][], weight, gamma)) as number[][][];
    expect(maxDifference(zH as number[][], zM as number[][])).toBeGreaterThan(0.1);
    expect(maxDifference(zM as number[][], zT as number[][])).toBeGreaterThan(0.1);

    const logits = head.forward(x, { training: false, tauNormGamma: gamma });
    expectClose(logits.logitsH.arraySync(), zH as number[][]);
    expectClose(logits.logitsM.arraySync(), zM as number[][]);
    expectClose(logits.logitsT.arraySync(), zT as number[][]);

    const fused = head.predict(x, { tauNormGamma: gamma });
    expectClose(fused.arraySync(), sumOf([zH, zM, zT] as number[][][]));
    const twoBranches = head.predict(x, { tauNormGamma: gamma, branches: 2 });
    expectClose(twoBranches.arraySync(), sumOf([zH, zM] as number[][][]));
    // Without tau-norm each branch is the plain classifier, bias included.
    const plain = head.predict(x);
    const plainByHand = [h, m, t].map((f) =>
      tauNormByHand(f as number[][], weight, 0).map((row) => addBias(row, bias)),
    );
    expectClose(plain.arraySync(), sumOf(plainByHand));

    tf.dispose([x, ...features, logits.logitsH, logits.logitsM, logits.logitsT, fused, twoBranches, plain]);
    head.dispose();
    backbone.dispose();
  });
});

/** docs/methods.md §9.4 by hand: z[b][c] = Σ_d h[b][d] · W[d][c] / ‖W[:, c]‖₂^γ, no bias. */
function tauNormByHand(features: number[][], weight: number[][], gamma: number): number[][] {
  const classes = weight[0]?.length ?? 0;
  const norms = Array.from({ length: classes }, (_, c) =>
    Math.sqrt(weight.reduce((sum, row) => sum + (row[c] ?? 0) ** 2, 0)),
  );
  return features.map((feature) =>
    norms.map((norm, c) => feature.reduce((sum, v, d) => sum + v * (weight[d]?.[c] ?? 0), 0) / norm ** gamma),
  );
}

function addBias(row: number[], bias: number[]): number[] {
  return row.map((v, c) => v + (bias[c] ?? 0));
}

function sumOf(terms: number[][][]): number[][] {
  const [first = []] = terms;
  return first.map((row, b) => row.map((_, c) => terms.reduce((sum, term) => sum + (term[b]?.[c] ?? 0), 0)));
}

function maxDifference(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - (b[i]?.[j] ?? Number.NaN)))));
}

/** float32 against float64 sums over 64 features: equal to 1e-4 of the largest value. */
function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  const scale = Math.max(1, ...expected.flat().map(Math.abs));
  expect(maxDifference(actual, expected)).toBeLessThan(1e-4 * scale);
}

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

  it('normalises: scaling a class column by k scales its logits by k^(1 - gamma), the others not at all', () => {
    const weight = [
      [0.5, -1, 2],
      [1.5, 0.25, -0.5],
    ];
    const scaled = weight.map((row) => [row[0] as number, (row[1] as number) * 8, row[2] as number]);
    const features = tf.tensor2d([
      [1, -2],
      [0.5, 3],
    ]);
    for (const gamma of [1, 0.7, 0]) {
      const before = tauNormalizedLogits(features, tf.tensor2d(weight), gamma).arraySync();
      const after = tauNormalizedLogits(features, tf.tensor2d(scaled), gamma).arraySync();
      for (const [b, row] of before.entries()) {
        expect(after[b]?.[0]).toBeCloseTo(row[0] as number, 5);
        expect(after[b]?.[1]).toBeCloseTo((row[1] as number) * 8 ** (1 - gamma), 5);
        expect(after[b]?.[2]).toBeCloseTo(row[2] as number, 5);
      }
      // And against Eq. of docs/methods.md §9.4 computed by hand.
      expect(maxDifference(before, tauNormByHand(features.arraySync(), weight, gamma))).toBeLessThan(1e-6);
    }
    tf.dispose(features);
  });
});
