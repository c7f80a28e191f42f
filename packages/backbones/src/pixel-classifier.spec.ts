import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParamSet } from './param-set.js';
import { createPixelClassifier } from './pixel-classifier.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('pixel classifier (cls_seg)', () => {
  it('starts as mmsegmentation: weight normal(0, 0.01), bias 0', () => {
    const params = new ParamSet();
    createPixelClassifier(params, 'conv_seg', { inChannels: 64, numClasses: 50, dropoutRate: 0.1 });
    params.materialize({ seed: 3 }, true);
    const w = Array.from(params.variable('conv_seg.weight').dataSync());
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(std).toBeGreaterThan(0.009);
    expect(std).toBeLessThan(0.011);
    expect(Array.from(params.variable('conv_seg.bias').dataSync()).every((v) => v === 0)).toBe(true);
    params.dispose();
  });

  it('is x W + b per pixel in evaluation; in training Dropout2d drops whole input channels', () => {
    const params = new ParamSet();
    const classifier = createPixelClassifier(params, 'conv_seg', { inChannels: 8, numClasses: 8, dropoutRate: 0.5 });
    params.materialize({ seed: 3 }, true);
    tf.tidy(() => {
      params.variable('conv_seg.weight').assign(tf.reshape(tf.eye(8), [1, 1, 8, 8]));
      params.variable('conv_seg.bias').assign(tf.fill([8], 0.5));
      const x = tf.add(tf.randomUniform([2, 3, 3, 8], 1, 2, 'float32', 1), 0) as tf.Tensor4D;
      const evaluation = classifier.apply(x, false, 0);
      expect(tf.max(tf.abs(tf.sub(evaluation, tf.add(x, 0.5)))).dataSync()[0]).toBeLessThan(1e-6);
      // Identity weights: each logit channel is its input channel, dropped (0.5) or doubled plus 0.5.
      const training = tf.sub(classifier.apply(x, true, 4), 0.5);
      const ratio = tf.reshape(tf.transpose(tf.div(training, x), [0, 3, 1, 2]), [16, 9]).arraySync() as number[][];
      for (const map of ratio) {
        const first = map[0] as number;
        expect([0, 2].some((v) => Math.abs(first - v) < 1e-5)).toBe(true);
        expect(map.every((v) => Math.abs(v - first) < 1e-5)).toBe(true);
      }
    });
    params.dispose();
  });
});
