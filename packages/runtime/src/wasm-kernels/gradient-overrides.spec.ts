import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormGradConfig as stockBatchNormGrad } from '@tensorflow/tfjs-core/dist/gradients/FusedBatchNorm_grad.js';
import { meanGradConfig as stockMeanGrad } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad.js';
import { describe, expect, it } from 'vitest';
import { initRuntime } from '../init-runtime.js';
import { relativeError, seededNormal } from '../testing/compare-backends.js';
import { fusedBatchNormGradConfig } from './batch-norm-gradient.js';
import { meanGradConfig } from './mean-gradient.js';

function gradsThroughMomentsAndBatchNorm(): Float32Array[] {
  const out = tf.tidy(() => {
    const x = seededNormal([3, 4, 5, 6], 1, 0.5);
    const gamma = seededNormal([6], 2);
    const beta = seededNormal([6], 3);
    const w = seededNormal([3, 4, 5, 6], 4);
    return tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      const pooled = tf.mean(tf.batchNorm(a, mean, variance, b, g, 1e-3), [1, 2]);
      return tf.add(tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-3), w)), tf.sum(tf.square(pooled)));
    })([x, gamma, beta]);
  });
  const values = out.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(out);
  return values;
}

describe('gradient overrides (FusedBatchNorm without tile, Mean without the full-size divide)', () => {
  it("give tfjs-core's own gradients on the cpu backend (relative error < 1e-4)", async () => {
    await initRuntime({ backend: 'wasm' });
    await initRuntime({ backend: 'cpu' });
    const ours = gradsThroughMomentsAndBatchNorm();
    tf.registerGradient(stockBatchNormGrad);
    tf.registerGradient(stockMeanGrad);
    try {
      const stock = gradsThroughMomentsAndBatchNorm();
      stock.forEach((expected, i) => {
        expect(relativeError(ours[i] as Float32Array, expected)).toBeLessThan(1e-4);
      });
    } finally {
      tf.registerGradient(fusedBatchNormGradConfig);
      tf.registerGradient(meanGradConfig);
    }
  });
});
