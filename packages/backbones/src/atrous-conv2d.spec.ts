import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { atrousConv2d } from './atrous-conv2d.js';
import { createConv2d } from './conv2d.js';
import { ParamSet } from './param-set.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

/** The k x k kernel spread to (d(k-1)+1)^2 taps with zeros between (the definition of dilation), differentiably. */
function manuallyDilated(filter: tf.Tensor4D, dilation: number): tf.Tensor4D {
  const [k, , cin, cout] = filter.shape;
  const span = dilation * (k - 1) + 1;
  const placement = new Float32Array(span * span * k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) placement[(i * dilation * span + j * dilation) * k * k + i * k + j] = 1;
  }
  const spread = tf.matMul(tf.tensor2d(placement, [span * span, k * k]), tf.reshape(filter, [k * k, cin * cout]));
  return tf.reshape(spread, [span, span, cin, cout]);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

const plainValid = (filter: tf.Tensor4D) => (phases: tf.Tensor4D) => tf.conv2d(phases, filter, 1, 0);

describe('atrous convolution', () => {
  it('matches a hand-computed tap sum: 3x3 ones, dilation 2, padding 2 on a 5x5 ramp', () => {
    tf.tidy(() => {
      const x = tf.tensor4d(
        Array.from({ length: 25 }, (_, i) => i),
        [1, 5, 5, 1],
      );
      const filter = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
      const y = atrousConv2d(x, plainValid(filter), { dilation: 2, padding: 2 });
      expect(y.shape).toEqual([1, 5, 5, 1]);
      const out = y.arraySync()[0] as number[][][];
      // Centre: the 9 pixels at rows/cols 0, 2, 4: (0 + 2 + 4) * 3 + (0 + 10 + 20) * 3 = 108.
      expect(out[2]?.[2]?.[0]).toBeCloseTo(108, 4);
      // Corner (0, 0): taps at rows/cols -2, 0, 2; inside: (0,0) (0,2) (2,0) (2,2) = 0 + 2 + 10 + 12.
      expect(out[0]?.[0]?.[0]).toBeCloseTo(24, 4);
      // (1, 3): rows -1, 1, 3 -> 1, 3; cols 1, 3, 5 -> 1, 3: 6 + 8 + 16 + 18.
      expect(out[1]?.[3]?.[0]).toBeCloseTo(48, 4);
    });
  });

  for (const [dilation, padding, h, w] of [
    [2, 2, 7, 9],
    [3, 3, 8, 5],
    [4, 4, 6, 6],
    [2, 0, 9, 7],
    [4, 4, 2, 3],
  ] as const) {
    it(`equals conv2d with a manually dilated kernel and its gradients (dilation ${dilation}, padding ${padding}, ${h}x${w})`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
        const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
        const weights = tf.randomNormal([2, h + 2 * padding - 2 * dilation, w + 2 * padding - 2 * dilation, 4]);
        const atrous = (input: tf.Tensor, f: tf.Tensor) =>
          tf.sum(
            tf.mul(atrousConv2d(input as tf.Tensor4D, plainValid(f as tf.Tensor4D), { dilation, padding }), weights),
          );
        const reference = (input: tf.Tensor, f: tf.Tensor) =>
          tf.sum(
            tf.mul(tf.conv2d(input as tf.Tensor4D, manuallyDilated(f as tf.Tensor4D, dilation), 1, padding), weights),
          );
        const y = atrousConv2d(x, plainValid(filter), { dilation, padding });
        expect(y.shape).toEqual(weights.shape);
        expect(maxAbsDiff(y, tf.conv2d(x, manuallyDilated(filter, dilation), 1, padding))).toBeLessThan(1e-4);
        // TF.js's own dilated forward agrees too (it has no gradient, which is why atrousConv2d exists).
        expect(maxAbsDiff(y, tf.conv2d(x, filter, 1, padding, 'NHWC', dilation))).toBeLessThan(1e-4);
        const [gx, gf] = tf.grads(atrous)([x, filter]);
        const [rx, rf] = tf.grads(reference)([x, filter]);
        expect(maxAbsDiff(gx as tf.Tensor, rx as tf.Tensor)).toBeLessThan(1e-3);
        expect(maxAbsDiff(gf as tf.Tensor, rf as tf.Tensor)).toBeLessThan(1e-3);
      });
    });
  }

  it('runs grouped convolutions dilated too (createConv2d with groups and dilation)', () => {
    const params = new ParamSet();
    const conv = createConv2d(params, 'c', {
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      padding: 2,
      dilation: 2,
      groups: 2,
      init: 'kaimingNormalFanOut',
    });
    params.materialize({ seed: 4 }, true);
    tf.tidy(() => {
      const x = tf.randomNormal([1, 6, 7, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
      const filter = conv.weight.value as tf.Tensor4D; // [3, 3, 2, 6]
      const y = conv.apply(x);
      // Reference: each group as its own dense convolution with the manually dilated kernel.
      const groups = [0, 1].map((g) =>
        tf.conv2d(
          tf.slice(x, [0, 0, 0, 2 * g], [-1, -1, -1, 2]),
          manuallyDilated(tf.slice(filter, [0, 0, 0, 3 * g], [-1, -1, -1, 3]), 2),
          1,
          2,
        ),
      );
      expect(maxAbsDiff(y, tf.concat(groups, 3))).toBeLessThan(1e-4);
    });
    params.dispose();
  });

  it('refuses a dilated convolution with a stride', () => {
    expect(() =>
      createConv2d(new ParamSet(), 'c', {
        inChannels: 1,
        outChannels: 1,
        kernelSize: 3,
        stride: 2,
        dilation: 2,
        init: 'kaimingNormalFanIn',
      }),
    ).toThrow(/needs stride 1/);
  });

  it('leaks no tensors', () => {
    const x = tf.ones([1, 5, 5, 2]) as tf.Tensor4D;
    const filter = tf.ones([3, 3, 2, 2]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    atrousConv2d(x, plainValid(filter), { dilation: 3, padding: 3 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, filter]);
  });
});
