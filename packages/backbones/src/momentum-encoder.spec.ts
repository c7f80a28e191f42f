import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MomentumEncoder } from './momentum-encoder.js';
import { ProjectionMlp } from './projection-mlp.js';
import { createBackbone } from './registry.js';
import type { WeightMap } from './weight-map.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

function query() {
  const backbone = createBackbone('resnet8', { numClasses: 3, inputShape: [8, 8, 3], seed: 1 });
  const mlp = ProjectionMlp.create({ inDim: 64, outDim: 4, seed: 2 });
  return { backbone, mlp };
}

/** Every tensor of `weights` set to `value`. */
function filled(weights: WeightMap, value: number): WeightMap {
  const out: WeightMap = {};
  for (const [name, entry] of Object.entries(weights)) {
    out[name] = { ...entry, values: new Float32Array(entry.values.length).fill(value) };
  }
  return out;
}

describe('MomentumEncoder', () => {
  it('starts as a frozen copy of the query encoder', () => {
    const q = query();
    const encoder = MomentumEncoder.create(q);
    expect(encoder.momentum).toBe(0.999);
    expect(encoder.backbone.trainableVariables).toHaveLength(0);
    expect(encoder.mlp.trainableVariables).toHaveLength(0);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const keys = encoder.encode(x, { training: false });
    const queries = q.mlp.embed(q.backbone.features(x, { training: false }), { training: false });
    expect(keys.shape).toEqual([2, 4]);
    expect(Array.from(keys.dataSync())).toEqual(Array.from(queries.dataSync()));
    // Keys are unit vectors.
    const norms = tf.tidy(() => tf.norm(keys, 'euclidean', 1).dataSync());
    norms.forEach((n) => {
      expect(n).toBeCloseTo(1, 5);
    });
    tf.dispose([x, keys, queries]);
    encoder.dispose();
    q.backbone.dispose();
    q.mlp.dispose();
  });

  it('updates parameters by theta_k = m theta_k + (1 - m) theta_q and leaves buffers alone', async () => {
    const q = query();
    const encoder = MomentumEncoder.create(q, { momentum: 0.9 });
    // Key tensors all 2 (running stats included), query tensors all 12: one step gives
    // 0.9 * 2 + 0.1 * 12 = 3 for parameters, and 2 (unchanged) for buffers.
    encoder.loadWeights(filled(await encoder.exportWeights(), 2));
    q.backbone.loadWeights(filled(await q.backbone.exportWeights(), 12));
    q.mlp.loadWeights(filled(await q.mlp.exportWeights(), 12));
    encoder.update(q);
    for (const [name, variable] of [...encoder.backbone.namedParameters(), ...encoder.mlp.namedParameters()]) {
      const values = variable.dataSync();
      expect([name, values[0]]).toEqual([name, expect.closeTo(3, 5)]);
      expect(values[values.length - 1]).toBeCloseTo(3, 5);
    }
    for (const [, variable] of [...encoder.backbone.namedBuffers(), ...encoder.mlp.namedBuffers()]) {
      expect(variable.dataSync()[0]).toBe(2);
    }
    // A second step: 0.9 * 3 + 0.1 * 12 = 3.9.
    encoder.update(q);
    expect(encoder.backbone.namedParameters()[0]?.[1].dataSync()[0]).toBeCloseTo(3.9, 5);
    encoder.dispose();
    q.backbone.dispose();
    q.mlp.dispose();
  });

  it('updates its own running statistics in train-mode encoding, not the query encoder', () => {
    const q = query();
    const encoder = MomentumEncoder.create(q);
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    tf.dispose(encoder.encode(x));
    const keyMean = encoder.mlp.namedBuffers()[0]?.[1].dataSync()[0];
    const queryMean = q.mlp.namedBuffers()[0]?.[1].dataSync()[0];
    expect(keyMean).not.toBe(0);
    expect(queryMean).toBe(0);
    x.dispose();
    encoder.dispose();
    q.backbone.dispose();
    q.mlp.dispose();
  });
});
