import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchNormTrain } from './batch-norm-train.js';
import { initRuntime } from './init-runtime.js';
import { assertNoTensorLeak } from './memory.js';
import { relativeError, seededNormal } from './testing/compare-backends.js';

/** y, mean, variance and the gradients of sum(y * w) for x, gamma, beta. */
function run(mode: 'fused' | 'autodiff', shape = [4, 5, 3, 6], shift = 0.8): Float32Array[] {
  const channels = shape.at(-1) as number;
  const out = tf.tidy(() => {
    const x = seededNormal(shape, 1, shift);
    const gamma = seededNormal([channels], 2) as tf.Tensor1D;
    const beta = seededNormal([channels], 3) as tf.Tensor1D;
    const w = seededNormal(shape, 4);
    const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      if (mode === 'fused') return batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
      const { mean, variance } = tf.moments(
        a,
        shape.slice(0, -1).map((_, i) => i),
      );
      return { y: tf.batchNorm(a, mean, variance, b, g, 1e-3), mean, variance };
    };
    const { y, mean, variance } = forward(x, gamma, beta);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, g, b).y, w)))([
      x,
      gamma,
      beta,
    ]);
    return [y, mean, variance, ...grads];
  });
  const values = out.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(out);
  return values;
}

describe('batchNormTrain', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}: equals tf.moments + tf.batchNorm, values and gradients (relative error < 1e-4)`, async () => {
      await initRuntime({ backend });
      const expected = run('autodiff');
      const actual = run('fused');
      expect(actual.length).toBe(6);
      expected.forEach((e, i) => {
        expect(relativeError(actual[i] as Float32Array, e)).toBeLessThan(1e-4);
      });
    });
  }

  it('fused on wasm matches autodiff on cpu with 8192 rows (staged pooling) and a mean of 20', async () => {
    await initRuntime({ backend: 'cpu' });
    const expected = run('autodiff', [8, 32, 32, 5], 20);
    await initRuntime({ backend: 'wasm' });
    const actual = run('fused', [8, 32, 32, 5], 20);
    expected.forEach((e, i) => {
      expect(relativeError(actual[i] as Float32Array, e)).toBeLessThan(1e-4);
    });
  });

  it('fused on wasm matches autodiff on cpu, and leaks nothing', async () => {
    await initRuntime({ backend: 'cpu' });
    const expected = run('autodiff');
    await initRuntime({ backend: 'wasm' });
    const actual = await assertNoTensorLeak('batchNormTrain', () => run('fused'));
    expected.forEach((e, i) => {
      expect(relativeError(actual[i] as Float32Array, e)).toBeLessThan(1e-4);
    });
  });
});
