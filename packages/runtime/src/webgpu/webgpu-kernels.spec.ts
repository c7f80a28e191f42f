import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchNormTrain } from '../batch-norm-train.js';
import { movingAverage } from '../moving-average.js';
import { sgdUpdate } from '../sgd-update.js';
import { relativeError, seededNormal } from '../testing/compare-backends.js';
import { softmaxCrossEntropy } from '../testing/reference-models.js';
import { valuesOn, webgpuForTests } from '../testing/webgpu-for-tests.js';

/**
 * The kernels a training step runs, on the webgpu backend against tfjs-backend-cpu, on seeded
 * inputs, to a relative error (max |webgpu - cpu| / max |cpu|) below 1e-4: forward ops and their
 * gradients through tf.grads, as the trainer takes them. On CI the adapter is Mesa's lavapipe
 * (Vulkan on the CPU), which checks the shaders' arithmetic, not their speed.
 */
const webgpu = await webgpuForTests();

async function expectSameOnWebgpu(fn: () => tf.Tensor | tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const cpu = await valuesOn('cpu', fn);
  const gpu = await valuesOn('webgpu', fn);
  expect(gpu.shapes).toEqual(cpu.shapes);
  cpu.values.forEach((expected, i) => {
    expect(relativeError(gpu.values[i] as Float32Array, expected), `output ${i}`).toBeLessThan(tolerance);
  });
}

/** The value of `f` and its gradients with respect to every input. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor[] {
  const weighted = (...xs: tf.Tensor[]) => {
    const y = f(...xs);
    return tf.sum(tf.mul(y, weightsLike(y)));
  };
  const { value, grads } = tf.valueAndGrads(weighted)(inputs);
  return [f(...inputs), value, ...grads];
}

/** Fixed, non-uniform output weights, so each output element gets its own gradient. */
function weightsLike(t: tf.Tensor): tf.Tensor {
  return tf.sin(tf.reshape(tf.range(0, t.size, 1, 'float32'), t.shape));
}

describe.skipIf(!webgpu.available)('webgpu kernels match the cpu backend (relative error < 1e-4)', () => {
  const x = () => seededNormal([2, 9, 9, 4], 1);
  const cases: Array<{ label: string; k: number; stride: number; pad: 'same' | 'valid' }> = [
    { label: '3x3/1 same', k: 3, stride: 1, pad: 'same' },
    { label: '3x3/2 same', k: 3, stride: 2, pad: 'same' },
    { label: '3x3/2 valid', k: 3, stride: 2, pad: 'valid' },
    { label: '1x1/2 (projection shortcut)', k: 1, stride: 2, pad: 'same' },
    { label: '7x7/2 same (ImageNet stem)', k: 7, stride: 2, pad: 'same' },
  ];
  for (const { label, k, stride, pad } of cases) {
    it(`conv2d and its input and filter gradients: ${label}`, async () => {
      await expectSameOnWebgpu(() =>
        withGrads(
          (input, filter) => tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, stride, pad),
          x(),
          seededNormal([k, k, 4, 6], 2),
        ),
      );
    });
  }

  it('conv2d with dilation 2 (forward: tfjs-core has no gradient for dilated convolutions)', async () => {
    await expectSameOnWebgpu(() =>
      tf.conv2d(x() as tf.Tensor4D, seededNormal([3, 3, 4, 6], 2) as tf.Tensor4D, 1, 'same', 'NHWC', 2),
    );
  });

  it('fused conv2d with bias and relu, and its gradients', async () => {
    await expectSameOnWebgpu(() =>
      withGrads(
        (input, filter, bias) =>
          tf.fused.conv2d({
            x: input as tf.Tensor4D,
            filter: filter as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias,
            activation: 'relu',
          }),
        x(),
        seededNormal([3, 3, 4, 6], 2),
        seededNormal([6], 3),
      ),
    );
  });

  it('grouped convolution as ResNeXt builds it (depthwise conv, multiplier 2) and its gradients', async () => {
    await expectSameOnWebgpu(() =>
      withGrads(
        (input, filter) => tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same'),
        x(),
        seededNormal([3, 3, 4, 2], 4),
      ),
    );
  });

  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul with transposeA=${transposeA}, transposeB=${transposeB}, and its gradients`, async () => {
      await expectSameOnWebgpu(() =>
        withGrads(
          (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, transposeA, transposeB),
          seededNormal(transposeA ? [33, 17] : [17, 33], 5),
          seededNormal(transposeB ? [9, 33] : [33, 9], 6),
        ),
      );
    });
  }

  for (const shape of [
    [4, 6, 6, 8],
    [3, 5, 7, 3],
    [16, 10],
  ]) {
    it(`batchNormTrain on [${shape.join(', ')}]: y, mean, variance and the gradients of x, gamma and beta`, async () => {
      const channels = shape.at(-1) as number;
      await expectSameOnWebgpu(() => {
        const input = seededNormal(shape, 7, 0.5);
        const gamma = seededNormal([channels], 8);
        const beta = seededNormal([channels], 9);
        const { mean, variance } = batchNormTrain(input, gamma as tf.Tensor1D, beta as tf.Tensor1D);
        return [
          mean,
          variance,
          ...withGrads((xs, g, b) => batchNormTrain(xs, g as tf.Tensor1D, b as tf.Tensor1D).y, input, gamma, beta),
        ];
      });
    });
  }

  for (const [size, stride, pad] of [
    [3, 2, 'same'],
    [2, 2, 'valid'],
    [3, 1, 'valid'],
  ] as const) {
    it(`max and average pooling ${size}x${size}/${stride} ${pad}, and their gradients`, async () => {
      await expectSameOnWebgpu(() => [
        ...withGrads((input) => tf.maxPool(input as tf.Tensor4D, size, stride, pad), x()),
        ...withGrads((input) => tf.avgPool(input as tf.Tensor4D, size, stride, pad), x()),
      ]);
    });
  }

  it('max pooling of all-negative windows: padding never wins, the gradient goes to the window maximum', async () => {
    await expectSameOnWebgpu(() =>
      withGrads((input) => tf.maxPool(input as tf.Tensor4D, 3, 2, 'same'), tf.sub(tf.abs(x()), 10)),
    );
  });

  it('global average pooling (mean over H and W), relu, and the residual sum, with gradients', async () => {
    await expectSameOnWebgpu(() =>
      withGrads((a, b) => tf.mean(tf.relu(tf.add(a, b)), [1, 2]), x(), seededNormal([2, 9, 9, 4], 11)),
    );
  });

  it('reductions over leading, trailing and all axes: sum, mean, max, min', async () => {
    await expectSameOnWebgpu(() => {
      const input = seededNormal([3, 5, 4, 6], 12);
      return [[0, 1, 2], [3], [1, 2], undefined].flatMap((axes) => [
        tf.sum(input, axes),
        tf.mean(input, axes),
        tf.max(input, axes),
        tf.min(input, axes),
      ]);
    });
  });

  it('pad and slice of rank 5 and 6 and their gradients (the package pads above rank 4 wrongly; the runtime replaces it)', async () => {
    await expectSameOnWebgpu(() => [
      tf.pad(seededNormal([3, 4, 2, 5, 6], 17), [
        [0, 1],
        [1, 0],
        [0, 0],
        [2, 1],
        [0, 1],
      ]),
      ...withGrads(
        (input) => tf.slice(input, [0, 0, 0, 0, 0, 0], [2, 3, 1, 3, 1, 4]),
        seededNormal([2, 3, 2, 3, 2, 4], 18),
      ),
    ]);
  });

  it('softmax cross-entropy and its gradient with respect to the logits', async () => {
    await expectSameOnWebgpu(() => {
      const labels = tf.tensor1d([0, 3, 1, 2, 4, 0, 1], 'int32');
      return withGrads((logits) => softmaxCrossEntropy(logits as tf.Tensor2D, labels, 5), seededNormal([7, 5], 13));
    });
  });

  for (const [momentum, nesterov, weightDecay, withBuffer] of [
    [0.9, false, 5e-4, true],
    [0.9, true, 5e-4, true],
    [0.9, false, 0, false],
    [0, false, 5e-4, false],
  ] as const) {
    it(`sgdUpdate (two dispatches on webgpu): momentum ${momentum}, nesterov ${nesterov}, decay ${weightDecay}, ${withBuffer ? 'with' : 'without'} a buffer`, async () => {
      await expectSameOnWebgpu(() => {
        const param = seededNormal([3, 3, 5, 7], 14);
        const grad = seededNormal([3, 3, 5, 7], 15);
        const buffer = withBuffer ? seededNormal([3, 3, 5, 7], 16) : undefined;
        const step = sgdUpdate({ param, grad, buffer, lr: 0.1, momentum, weightDecay, nesterov });
        return step.buffer === undefined ? [step.param] : [step.param, step.buffer];
      });
    });
  }

  it('movingAverage (one dispatch on webgpu), with and without a scale', async () => {
    await expectSameOnWebgpu(() => {
      const running = seededNormal([64], 17);
      const value = seededNormal([64], 18);
      return [movingAverage(running, value, 0.1), movingAverage(running, value, 0.1, 64 / 63)];
    });
  });

  it("the fused updates run as the runtime's kernels on webgpu, not the composed ops", async () => {
    await tf.setBackend('webgpu');
    const param = seededNormal([10], 19);
    const grad = seededNormal([10], 20);
    const profile = await tf.profile(() => {
      const step = sgdUpdate({ param, grad, lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: false });
      return [step.param, step.buffer as tf.Tensor, movingAverage(param, grad, 0.1)];
    });
    expect(profile.kernelNames.sort()).toEqual(['LtlabMovingAverage', 'LtlabSgdUpdate']);
    tf.dispose([param, grad]);
    await tf.setBackend('cpu');
  });
});
