import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCosineLinear } from './cosine-linear.js';
import { ParamSet } from './param-set.js';
import { createBackbone } from './registry.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function columnNorms(values: Float32Array, rows: number): number[] {
  const columns = values.length / rows;
  return Array.from({ length: columns }, (_, c) => {
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (values[r * columns + c] as number) ** 2;
    return Math.sqrt(squares);
  });
}

describe('createCosineLinear', () => {
  it('starts with unit-norm class columns drawn from uniform(-1, 1), and has no bias', () => {
    const params = new ParamSet();
    const layer = createCosineLinear(params, 'fc', 6, 4);
    params.materialize({ seed: 3 }, true);
    expect(layer.bias).toBeNull();
    expect(params.specs.map((spec) => spec.name)).toEqual(['fc.weight']);
    const values = layer.weight.value.dataSync() as Float32Array;
    for (const norm of columnNorms(values, 6)) expect(norm).toBeCloseTo(1, 5);
    // A random fill, not a constant one: (almost) every value is distinct.
    expect(new Set(Array.from(values).map((v) => v.toFixed(6))).size).toBeGreaterThan(20);
    params.dispose();
  });

  it('gives the cosine of each row of x with each class column, whatever their scales', () => {
    const params = new ParamSet();
    const layer = createCosineLinear(params, 'fc', 3, 2);
    params.materialize({ seed: 1 }, true);
    layer.weight.value.assign(
      tf.tensor2d([
        [2, 0],
        [0, 0],
        [0, -5],
      ]),
    );
    const logits = layer.apply(
      tf.tensor2d([
        [3, 0, 0],
        [1, 1, 1],
        [0, 0, 0.5],
      ]),
    );
    const s = Math.sqrt(3);
    expect(Array.from(logits.dataSync())).toEqual([1, 0, 1 / s, -1 / s, 0, -1].map((v) => expect.closeTo(v, 6)));
    params.dispose();
  });

  it('backs `classifier: cosine` of any backbone, whose logits are bounded and trainable', () => {
    const backbone = createBackbone('resnet8', {
      numClasses: 3,
      inputShape: [8, 8, 1],
      seed: 2,
      classifier: 'cosine',
    });
    expect(backbone.classifier.bias).toBeNull();
    expect(backbone.namedParameters().some(([name]) => name === 'fc.bias')).toBe(false);
    const x = tf.randomNormal([4, 8, 8, 1], 0, 3, 'float32', 5) as tf.Tensor4D;
    const logits = backbone.forward(x, { training: false });
    expect(Math.max(...Array.from(logits.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
    const w = backbone.classifier.weight.value;
    const features = tf.randomNormal([2, backbone.featureDim], 0, 1, 'float32', 6) as tf.Tensor2D;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(backbone.head(features), tf.tensor1d([1, -2, 3]))), [w]);
    const g = grads[w.name] as tf.Tensor;
    // The gradient of a column through its normalisation is orthogonal to that column.
    const along = tf.sum(tf.mul(g, w), 0).dataSync();
    for (const v of along) expect(Math.abs(v)).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    backbone.dispose();
  });
});
