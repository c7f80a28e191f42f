import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { passChannel, zeroAll } from './__fixtures__/hand-weights.js';
import type { StageMaps } from './decode-head.js';
import { createDeepLabV3PlusHead } from './deeplabv3plus-head.js';
import { ParamSet } from './param-set.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

const OPTIONS = {
  inChannels: 8,
  lowLevelInChannels: 4,
  channels: 6,
  lowLevelChannels: 3,
  dilations: [1, 12, 24, 36],
  numClasses: 2,
  dropoutRate: 0.1,
  alignCorners: false,
} as const;

describe('DeepLabv3+ head', () => {
  it('declares the image pool, a 1x1 and three 3x3 ASPP branches, the 48-channel-style reduction and two decoder convs', () => {
    const params = new ParamSet();
    createDeepLabV3PlusHead(params, OPTIONS);
    const convs = params.specs.filter((s) => s.name.endsWith('conv.weight')).map((s) => [s.name, s.shape]);
    expect(convs).toEqual([
      ['image_pool.1.conv.weight', [1, 1, 8, 6]],
      ['aspp_modules.0.conv.weight', [1, 1, 8, 6]],
      ['aspp_modules.1.conv.weight', [3, 3, 8, 6]],
      ['aspp_modules.2.conv.weight', [3, 3, 8, 6]],
      ['aspp_modules.3.conv.weight', [3, 3, 8, 6]],
      ['bottleneck.conv.weight', [3, 3, 30, 6]],
      ['c1_bottleneck.conv.weight', [1, 1, 4, 3]],
      ['sep_bottleneck.0.conv.weight', [3, 3, 9, 6]],
      ['sep_bottleneck.1.conv.weight', [3, 3, 6, 6]],
    ]);
  });

  it('carries the image-pooling branch (first in the ASPP concat) to every stage-1 pixel (hand weights)', () => {
    const params = new ParamSet();
    const head = createDeepLabV3PlusHead(params, OPTIONS);
    params.materialize({ seed: 0 }, true);
    zeroAll(params);
    // Only channel 0 of the image pool travels: pool -> bottleneck -> (upsampled, first in the
    // decoder concat) -> both decoder convs. Every ASPP conv branch and the low-level path give 0.
    passChannel(params, 'image_pool.1', 0, 0, 1);
    passChannel(params, 'bottleneck', 0, 0, 3);
    passChannel(params, 'sep_bottleneck.0', 0, 0, 3);
    passChannel(params, 'sep_bottleneck.1', 0, 0, 3);
    tf.tidy(() => {
      // Stage 4: 2 images of 4x4; channel 0 averages 1.5 in image 0 and -2 in image 1.
      const c4 = tf.concat(
        [
          tf.tensor4d(
            Array.from({ length: 32 }, (_, i) => (i < 16 ? i % 4 : -2)),
            [2, 4, 4, 1],
          ),
          tf.ones([2, 4, 4, 7]),
        ],
        3,
      ) as tf.Tensor4D;
      const c1 = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
      const stages: StageMaps = [c1, c1, c4, c4];
      const { features, logits } = head.apply(stages, { training: false, dropoutSeed: 0 });
      expect(features.shape).toEqual([2, 8, 8, 6]);
      expect(logits.shape).toEqual([2, 8, 8, 2]);
      const channel0 = tf.slice(features, [0, 0, 0, 0], [-1, -1, -1, 1]);
      const values = Array.from(channel0.dataSync());
      expect(values.slice(0, 64).every((v) => Math.abs(v - 1.5) < 1e-5)).toBe(true);
      expect(values.slice(64).every((v) => v === 0)).toBe(true); // relu(-2)
      expect(tf.max(tf.abs(tf.slice(features, [0, 0, 0, 1], [-1, -1, -1, -1]))).dataSync()[0]).toBe(0);
    });
    params.dispose();
  });
});
