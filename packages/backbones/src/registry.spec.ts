import { LtlabError } from '@ltlab/core';
import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backbone } from './backbone.js';
import { backboneRegistry, createBackbone, describeBackbone, listBackbones } from './registry.js';

/**
 * Walks the registry (timm-style): every backbone is checked at the depth its size allows on two
 * shared cores. `full`: forward + backward, shapes, no NaN, save/load round trip, no leaks.
 * `forward`: one small-resolution forward (ImageNet models too slow for the cpu backend's backward). `shapes`: declared tensors only
 * (their counts are asserted in param-count.spec.ts).
 */
const TIER: Record<string, { tier: 'full' | 'forward' | 'shapes'; size: number }> = {
  resnet8: { tier: 'full', size: 8 },
  resnet20: { tier: 'full', size: 8 },
  resnet32: { tier: 'full', size: 8 },
  resnet44: { tier: 'full', size: 4 },
  resnet56: { tier: 'full', size: 4 },
  resnet110: { tier: 'full', size: 4 },
  resnet10: { tier: 'full', size: 16 },
  resnet18: { tier: 'forward', size: 32 },
  resnet34: { tier: 'shapes', size: 32 },
  resnet50: { tier: 'forward', size: 32 },
  resnet101: { tier: 'shapes', size: 32 },
  resnet152: { tier: 'shapes', size: 32 },
  resnet200: { tier: 'shapes', size: 32 },
  resnext50_32x4d: { tier: 'forward', size: 32 },
  resnext101_32x4d: { tier: 'shapes', size: 32 },
};

const NUM_CLASSES = 5;
const BATCH = 2;

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function allFinite(t: tf.Tensor): boolean {
  return (t.dataSync() as Float32Array).every(Number.isFinite);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

async function checkSaveLoad(backbone: Backbone, x: tf.Tensor4D): Promise<void> {
  const other = createBackbone(backbone.name, {
    numClasses: NUM_CLASSES,
    inputShape: [...backbone.inputShape],
    seed: 999,
  });
  const before = other.forward(x, { training: false });
  const expected = backbone.forward(x, { training: false });
  expect(maxAbsDiff(before, expected)).toBeGreaterThan(0);
  other.loadWeights(await backbone.exportWeights());
  const after = other.forward(x, { training: false });
  expect(Array.from(after.dataSync())).toEqual(Array.from(expected.dataSync()));
  tf.dispose([before, expected, after]);
  other.dispose();
}

describe('backbone registry', () => {
  it('lists every backbone, and the walk below covers each one', () => {
    const names = listBackbones().map((entry) => entry.name);
    expect(names.sort()).toEqual(Object.keys(TIER).sort());
  });

  it('rejects unknown names with CONFIG.UNKNOWN_NAME listing the known ones', () => {
    try {
      createBackbone('resnet9000', { numClasses: 10, inputShape: [32, 32, 3] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LtlabError);
      expect((error as LtlabError).code).toBe('CONFIG.UNKNOWN_NAME');
      expect((error as LtlabError).message).toContain('resnext50_32x4d');
    }
    expect(() => createBackbone('resnt32', { numClasses: 10, inputShape: [32, 32, 3] })).toThrow(
      "Unknown backbone 'resnt32'; did you mean 'resnet32'?",
    );
  });

  it('names each CIFAR ResNet by its depth and gives every backbone a summary and options', () => {
    for (const entry of backboneRegistry.list()) {
      if (entry.family === 'cifar')
        expect(entry.summary).toContain(`CIFAR ResNet-${entry.name.slice('resnet'.length)}:`);
      expect(entry.schema.parse({})).toEqual({ classifierInit: 'family', classifier: 'linear', trainable: true });
    }
  });

  it('refuses a misspelt option instead of ignoring it', () => {
    expect(() =>
      createBackbone('resnet8', { numClasses: 10, inputShape: [32, 32, 3], classifer: 'cosine' } as never),
    ).toThrow(/classifer: unknown key; did you mean 'classifier'\?/);
    expect(() => backboneRegistry.get('resnet8').schema.parse({ numClasses: 10 })).toThrow(/numClasses/);
  });

  it('rejects invalid options with every bad field', () => {
    expect(() => createBackbone('resnet8', { numClasses: 0, inputShape: [32, 32] as never })).toThrow(
      /numClasses[\s\S]*inputShape/,
    );
  });

  for (const entry of listBackbones()) {
    const { tier, size } = TIER[entry.name] ?? { tier: 'shapes', size: 32 };
    it(`${entry.name} (${tier})`, async () => {
      const { specs } = describeBackbone(entry.name, { numClasses: NUM_CLASSES, inputShape: [size, size, 3] });
      expect(specs.find((spec) => spec.name === 'fc.weight')?.shape).toEqual([entry.featureDim, NUM_CLASSES]);
      expect(new Set(specs.map((spec) => spec.name)).size).toBe(specs.length);
      if (tier === 'shapes') return;

      const start = tf.memory().numTensors;
      const backbone = createBackbone(entry.name, { numClasses: NUM_CLASSES, inputShape: [size, size, 3], seed: 1 });
      expect(backbone.featureDim).toBe(entry.featureDim);
      expect(backbone.trainableVariables.length + backbone.nonTrainableVariables.length).toBe(specs.length);
      expect(backbone.nonTrainableVariables.length).toBe(specs.filter((s) => s.role === 'buffer').length);
      const x = tf.randomNormal([BATCH, size, size, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
      const afterSetup = tf.memory().numTensors;

      const features = backbone.features(x, { training: true });
      expect(features.shape).toEqual([BATCH, entry.featureDim]);
      const logits = backbone.head(features);
      expect(logits.shape).toEqual([BATCH, NUM_CLASSES]);
      expect(allFinite(features) && allFinite(logits)).toBe(true);
      tf.dispose([features, logits]);

      if (tier === 'full') {
        const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3], 'int32'), NUM_CLASSES));
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(labels, backbone.forward(x, { training: true })) as tf.Scalar,
          backbone.trainableVariables,
        );
        expect(Object.keys(grads).length).toBe(backbone.trainableVariables.length);
        expect(Object.values(grads).every(allFinite)).toBe(true);
        const convGrad = grads[backbone.trainableVariables[0]?.name ?? ''];
        expect(convGrad && tf.tidy(() => tf.max(tf.abs(convGrad)).dataSync()[0])).toBeGreaterThan(0);
        tf.dispose([labels, value, ...Object.values(grads)]);
      }
      expect(tf.memory().numTensors).toBe(afterSetup);

      // The round trip is architecture-independent code; the large models skip its extra forwards.
      if (tier === 'full') await checkSaveLoad(backbone, x);
      x.dispose();
      backbone.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('runs any input size and channel count (Fashion-MNIST 28x28x1, odd maps in option-A shortcuts)', () => {
    const backbone = createBackbone('resnet20', { numClasses: 10, inputShape: [28, 28, 1] });
    const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const map = backbone.featureMap(x, { training: false });
    expect(map.shape).toEqual([2, 7, 7, 64]);
    expect(() => backbone.forward(tf.zeros([2, 28, 28, 3]) as tf.Tensor4D, { training: false })).toThrow(/1 channels/);
    tf.dispose([x, map]);
    backbone.dispose();
  });

  it('clones with equal values and can freeze the copy', () => {
    const backbone = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 3] });
    const copy = backbone.clone({ trainable: false });
    expect(copy.trainableVariables).toHaveLength(0);
    expect(copy.nonTrainableVariables).toHaveLength(
      backbone.trainableVariables.length + backbone.nonTrainableVariables.length,
    );
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const a = backbone.forward(x, { training: false });
    const b = copy.forward(x, { training: false });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // Training the original leaves the copy alone.
    tf.dispose(backbone.forward(x, { training: true }));
    const runningMean = backbone.namedBuffers()[0]?.[1];
    const copyMean = copy.namedBuffers()[0]?.[1];
    expect(runningMean && copyMean && maxAbsDiff(runningMean, copyMean)).toBeGreaterThan(0);
    tf.dispose([x, a, b]);
    backbone.dispose();
    copy.dispose();
  });
});
