import { Rng } from '@ltlab/core';
import { softmaxCrossEntropy } from '@ltlab/runtime/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Backbone } from '../backbone.js';
import { imageNetResNet } from '../imagenet-resnet.js';
import { createBackbone } from '../registry.js';
import { TrunkBackbone } from '../trunk-backbone.js';

/**
 * One train-mode step of each backbone family, to compare a backend with the cpu backend: the
 * loss, every parameter gradient and the updated BN running statistics. Values are read with
 * `await data()`, which every backend supports (webgpu cannot read synchronously in Node).
 *
 * Sizes: the smallest inputs and batches at which the step is well conditioned. With a batch of 4
 * at 32x32, an ImageNet ResNet's last stage normalises 4 values per channel, and a 1e-7 relative
 * change of the input alone moves its gradients by 1e-4 (ResNet-10) to 17% (the ResNeXt below),
 * on any backend; at 16x16 with a batch of 8 the same change moves them by about 1e-5.
 */
const NUM_CLASSES = 5;

export interface StepResult {
  loss: number;
  names: string[];
  grads: Float32Array[];
  buffers: Float32Array[];
}

/** Loss, parameter gradients and BN running statistics after one train-mode step on `backend`. */
export async function trainStep(backend: string, make: () => Backbone, batch: number): Promise<StepResult> {
  await tf.setBackend(backend);
  const model = make();
  const [h, w, c] = model.inputShape;
  const rng = new Rng(7);
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * h * w * c }, () => rng.uniform(-1, 1)),
    [batch, h, w, c],
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => i % NUM_CLASSES),
    'int32',
  );
  const params = model.namedParameters();
  // The runtime's log-softmax cross-entropy (tf.losses.softmaxCrossEntropy needs Max over an axis).
  const { value, grads } = tf.variableGrads(
    () => softmaxCrossEntropy(model.forward(x, { training: true }), labels, NUM_CLASSES),
    params.map(([, v]) => v),
  );
  const result: StepResult = {
    loss: ((await value.data()) as Float32Array)[0] as number,
    names: params.map(([name]) => name),
    grads: await Promise.all(params.map(async ([, v]) => Float32Array.from(await (grads[v.name] as tf.Tensor).data()))),
    buffers: await Promise.all(model.namedBuffers().map(async ([, v]) => Float32Array.from(await v.data()))),
  };
  tf.dispose([value, x, labels, ...Object.values(grads)]);
  model.dispose();
  return result;
}

/** max |a - b| / max |b|. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

/** A one-block-per-stage ResNeXt with resnext50_32x4d's blocks: bottlenecks with 32 groups of width 4. */
function resnextMini(size: number): Backbone {
  return new TrunkBackbone(
    {
      name: 'resnext-1111_32x4d',
      family: 'imagenet',
      build: imageNetResNet({ block: 'bottleneck', layers: [1, 1, 1, 1], groups: 32, widthPerGroup: 4 }),
      numClasses: NUM_CLASSES,
      inputShape: [size, size, 3],
      classifierInit: 'pytorchDefault',
      classifier: 'linear',
    },
    { seed: 3 },
    true,
  );
}

export const BACKBONE_CASES: Array<{ label: string; make: () => Backbone; batch: number }> = [
  {
    label: 'CIFAR ResNet-20, 8x8, batch 4',
    make: () => createBackbone('resnet20', { numClasses: NUM_CLASSES, inputShape: [8, 8, 3], seed: 3 }),
    batch: 4,
  },
  {
    label: 'ImageNet ResNet-10 (7x7/2 stem, max pool, projections), 16x16, batch 8',
    make: () => createBackbone('resnet10', { numClasses: NUM_CLASSES, inputShape: [16, 16, 3], seed: 3 }),
    batch: 8,
  },
  {
    label: 'ResNeXt 32x4d bottlenecks (grouped 3x3 convs), one block per stage, 16x16, batch 8',
    make: () => resnextMini(16),
    batch: 8,
  },
];

/** Asserts that `actual` (a backend's step) matches `cpu` within `tolerance`, naming the tensor that does not. */
export function expectSameStep(actual: StepResult, cpu: StepResult, tolerance = 1e-4): void {
  expect(Math.abs(actual.loss - cpu.loss) / cpu.loss).toBeLessThan(tolerance);
  expect(actual.names).toEqual(cpu.names);
  cpu.grads.forEach((g, i) => {
    expect(relativeError(actual.grads[i] as Float32Array, g), `gradient of ${cpu.names[i]}`).toBeLessThan(tolerance);
  });
  expect(actual.buffers.length).toBe(cpu.buffers.length);
  cpu.buffers.forEach((b, i) => {
    expect(relativeError(actual.buffers[i] as Float32Array, b), `buffer ${i}`).toBeLessThan(tolerance);
  });
}
