import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectionMlp } from './projection-mlp.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('ProjectionMlp', () => {
  it('is Linear(D, D) - BN - ReLU - Linear(D, d) with L2-normalised embeddings', () => {
    const mlp = ProjectionMlp.create({ inDim: 8, outDim: 3, seed: 1 });
    expect(mlp.namedParameters().map(([name, v]) => [name, v.shape])).toEqual([
      ['mlp.0.weight', [8, 8]],
      ['mlp.0.bias', [8]],
      ['mlp.1.weight', [8]],
      ['mlp.1.bias', [8]],
      ['mlp.3.weight', [8, 3]],
      ['mlp.3.bias', [3]],
    ]);
    expect(mlp.parameterCount()).toBe(8 * 8 + 8 + 8 + 8 + 8 * 3 + 3);
    const h = tf.randomNormal([4, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    const z = mlp.apply(h, { training: true });
    const q = mlp.embed(h, { training: true });
    expect(z.shape).toEqual([4, 3]);
    const expected = tf.tidy(() => tf.div(z, tf.norm(z, 'euclidean', 1, true)));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(q, expected))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([h, z, q, expected]);
    mlp.dispose();
  });

  it('initialises the last layer as asked (CIFAR: Kaiming-normal fan_in; default: uniform 1/sqrt(fan_in))', () => {
    const kaiming = ProjectionMlp.create({ inDim: 256, outDim: 64, lastLayerInit: 'kaimingNormalFanIn' });
    const plain = ProjectionMlp.create({ inDim: 256, outDim: 64 });
    const std = (values: Float32Array) => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    const weight = (mlp: ProjectionMlp) => mlp.namedParameters().find(([name]) => name === 'mlp.3.weight')?.[1];
    const kaimingValues = weight(kaiming)?.dataSync() as Float32Array;
    const plainValues = weight(plain)?.dataSync() as Float32Array;
    expect(std(kaimingValues)).toBeCloseTo(Math.sqrt(2 / 256), 2);
    expect(Math.max(...plainValues.map(Math.abs))).toBeLessThanOrEqual(1 / 16);
    expect(std(plainValues)).toBeCloseTo(1 / 16 / Math.sqrt(3), 2);
    kaiming.dispose();
    plain.dispose();
  });
});
