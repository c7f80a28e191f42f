import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initRuntime } from './init-runtime.js';
import { assertNoTensorLeak } from './memory.js';
import { lossAndGradients, relativeError } from './testing/compare-backends.js';
import {
  createCifarResNet,
  createResNeXtBlockNet,
  randomBatch,
  softmaxCrossEntropy,
} from './testing/reference-models.js';

describe('training on wasm', () => {
  for (const [label, make, batch] of [
    ['ResNet-32 (8x8 inputs, the cpu backend is slow)', () => createCifarResNet(32, { size: 8 }), 2],
    ['ResNeXt block with max-pool stem', () => createResNeXtBlockNet({ size: 24 }), 4],
    ['ResNeXt block, batch norm by tf.moments', () => createResNeXtBlockNet({ size: 24, batchNorm: 'moments' }), 4],
  ] as const) {
    it(`${label}: loss and every parameter gradient match the cpu backend`, async () => {
      const cpu = await lossAndGradients('cpu', make, batch);
      const wasm = await lossAndGradients('wasm', make, batch);
      expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-4);
      expect(wasm.grads.length).toBe(cpu.grads.length);
      // Deep nets accumulate float32 rounding differently per backend: 1e-3 on whole-network grads.
      cpu.grads.forEach((g, i) => {
        expect(relativeError(wasm.grads[i] as Float32Array, g)).toBeLessThan(1e-3);
      });
    });
  }

  for (const [label, make, steps] of [
    ['ResNet-32', () => createCifarResNet(32, { size: 16 }), 20],
    ['ResNeXt block', () => createResNeXtBlockNet({ size: 24 }), 20],
  ] as const) {
    it(`${label}: loss decreases over ${steps} SGD-momentum steps on a fixed batch, without leaks`, async () => {
      await initRuntime({ backend: 'wasm' });
      const model = make();
      const { x, labels } = randomBatch(model, 8, 11);
      const optimizer = tf.train.momentum(0.05, 0.9);
      const losses: number[] = [];
      const step = (): { value: number; cost: tf.Tensor } => {
        const cost = optimizer.minimize(() => softmaxCrossEntropy(model.forward(x), labels, model.numClasses), true);
        return { value: (cost as tf.Tensor).dataSync()[0] as number, cost: cost as tf.Tensor };
      };
      for (let i = 0; i < steps; i++) {
        // The first step creates the optimizer's momentum slots, which are state, not a leak.
        const { value, cost } = i === 0 ? step() : await assertNoTensorLeak(`step ${i}`, step);
        losses.push(value);
        cost.dispose();
      }
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.5);
      optimizer.dispose();
      tf.dispose([x, labels]);
      model.dispose();
    });
  }
});
