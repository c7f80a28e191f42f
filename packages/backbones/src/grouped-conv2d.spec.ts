import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupedConv2d } from './grouped-conv2d.js';

/** The definition: slice each group's inputs and filters, run an ordinary conv, concatenate. */
function perGroupReference(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: number,
  padding: number,
  groups: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3);
    const fs = tf.split(filter, groups, 3);
    return tf.concat(
      xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, fs[g] as tf.Tensor4D, stride, padding)),
      3,
    ) as tf.Tensor4D;
  });
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('groupedConv2d', () => {
  // ResNeXt-50 32x4d layer shapes (layer1: 128 channels; layer2's first block: 256 at stride 2),
  // at a small resolution, plus odd sizes and unequal in/out group widths.
  const cases = [
    {
      name: 'resnext layer1 3x3, 32 groups',
      n: 2,
      h: 6,
      w: 6,
      cin: 128,
      cout: 128,
      k: 3,
      stride: 1,
      padding: 1,
      groups: 32,
    },
    {
      name: 'resnext layer2 3x3/2, 32 groups',
      n: 2,
      h: 8,
      w: 8,
      cin: 256,
      cout: 256,
      k: 3,
      stride: 2,
      padding: 1,
      groups: 32,
    },
    { name: 'odd size, stride 2', n: 1, h: 7, w: 5, cin: 6, cout: 9, k: 3, stride: 2, padding: 1, groups: 3 },
    { name: '1x1, 4 groups', n: 2, h: 3, w: 3, cin: 8, cout: 4, k: 1, stride: 1, padding: 0, groups: 4 },
  ];

  it.each(cases)(
    '$name equals the per-group reference within 1e-5',
    ({ n, h, w, cin, cout, k, stride, padding, groups }) => {
      const start = tf.memory().numTensors;
      const x = tf.randomNormal([n, h, w, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([k, k, cin / groups, cout], 0, 0.2, 'float32', 2) as tf.Tensor4D;
      const ours = groupedConv2d(x, filter, { stride, padding, groups });
      const reference = perGroupReference(x, filter, stride, padding, groups);
      expect(ours.shape).toEqual(reference.shape);
      expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);

      // Gradients with respect to input and filter match as well.
      const dy = tf.randomNormal(reference.shape, 0, 1, 'float32', 3);
      const loss = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), dy)));
      const [gx, gf] = loss((a, b) => groupedConv2d(a, b, { stride, padding, groups }))([x, filter]);
      const [rx, rf] = loss((a, b) => perGroupReference(a, b, stride, padding, groups))([x, filter]);
      expect(maxAbsDiff(gx as tf.Tensor, rx as tf.Tensor)).toBeLessThan(1e-4);
      expect(maxAbsDiff(gf as tf.Tensor, rf as tf.Tensor)).toBeLessThan(1e-4);
      tf.dispose([x, filter, ours, reference, dy, gx, gf, rx, rf] as tf.Tensor[]);
      expect(tf.memory().numTensors).toBe(start);
    },
  );

  it('equals an ordinary convolution when there is one group', () => {
    const x = tf.randomNormal([1, 5, 5, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ours = groupedConv2d(x, filter, { stride: 2, padding: 1, groups: 1 });
    const plain = tf.conv2d(x, filter, 2, 1);
    expect(maxAbsDiff(ours, plain)).toBeLessThan(1e-5);
    tf.dispose([x, filter, ours, plain]);
  });

  it('rejects channel counts that do not split into the groups', () => {
    const x = tf.zeros([1, 4, 4, 6]) as tf.Tensor4D;
    const filter = tf.zeros([3, 3, 4, 8]) as tf.Tensor4D;
    expect(() => groupedConv2d(x, filter, { stride: 1, padding: 1, groups: 2 })).toThrow(/8/);
    tf.dispose([x, filter]);
  });
});
