import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { passChannel, zeroAll } from './__fixtures__/hand-weights.js';
import { resizeBilinear } from './bilinear-resize.js';
import type { StageMaps } from './decode-head.js';
import { ParamSet } from './param-set.js';
import { createUperHead } from './uper-head.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

const OPTIONS = {
  inChannels: [2, 3, 4, 5] as const,
  channels: 4,
  numClasses: 2,
  dropoutRate: 0.1,
  alignCorners: false,
};

function stages(): StageMaps {
  return [
    tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 1) as tf.Tensor4D,
    tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D,
    tf.randomNormal([2, 2, 2, 4], 0, 1, 'float32', 3) as tf.Tensor4D,
    tf.randomNormal([2, 2, 2, 5], 0, 1, 'float32', 4) as tf.Tensor4D,
  ];
}

describe('UPerNet head', () => {
  it('declares PPM (1/2/3/6 bins), its bottleneck, three laterals and FPN convs and the fused bottleneck', () => {
    const params = new ParamSet();
    createUperHead(params, OPTIONS);
    const convs = params.specs.filter((s) => s.name.endsWith('conv.weight')).map((s) => [s.name, s.shape]);
    expect(convs).toEqual([
      ['psp_modules.0.1.conv.weight', [1, 1, 5, 4]],
      ['psp_modules.1.1.conv.weight', [1, 1, 5, 4]],
      ['psp_modules.2.1.conv.weight', [1, 1, 5, 4]],
      ['psp_modules.3.1.conv.weight', [1, 1, 5, 4]],
      ['bottleneck.conv.weight', [3, 3, 5 + 4 * 4, 4]],
      ['lateral_convs.0.conv.weight', [1, 1, 2, 4]],
      ['fpn_convs.0.conv.weight', [3, 3, 4, 4]],
      ['lateral_convs.1.conv.weight', [1, 1, 3, 4]],
      ['fpn_convs.1.conv.weight', [3, 3, 4, 4]],
      ['lateral_convs.2.conv.weight', [1, 1, 4, 4]],
      ['fpn_convs.2.conv.weight', [3, 3, 4, 4]],
      ['fpn_bottleneck.conv.weight', [3, 3, 16, 4]],
    ]);
  });

  it('adds the top-down path and fuses at stage-1 resolution: level 0 = lateral + upsampled coarser levels (hand weights)', () => {
    const params = new ParamSet();
    const head = createUperHead(params, OPTIONS);
    params.materialize({ seed: 0 }, true);
    zeroAll(params);
    // Feature channel 0 <- FPN level 0 <- lateral of stage 1, channel 0 (+ the top-down path).
    passChannel(params, 'lateral_convs.0', 0, 0, 1);
    passChannel(params, 'fpn_convs.0', 0, 0, 3);
    passChannel(params, 'fpn_bottleneck', 0, 0, 3);
    // Feature channel 1 <- level 3 (concat offset 3 * 4) <- PPM bottleneck <- stage 4, channel 0.
    passChannel(params, 'bottleneck', 0, 0, 3);
    passChannel(params, 'fpn_bottleneck', 12, 1, 3);
    tf.tidy(() => {
      const maps = stages();
      const { features, logits } = head.apply(maps, { training: false, dropoutSeed: 0 });
      expect(features.shape).toEqual([2, 8, 8, 4]);
      expect(logits.shape).toEqual([2, 8, 8, 2]);
      const resize = (t: tf.Tensor4D, size: number) => resizeBilinear(t, [size, size], { alignCorners: false });
      const psp = tf.relu(tf.slice(maps[3], [0, 0, 0, 0], [-1, -1, -1, 1])) as tf.Tensor4D;
      // Top-down: level 2 = up(psp) (same 2x2 size), level 1 = up(level 2), level 0 = lateral + up(level 1).
      const level0 = tf.add(tf.relu(tf.slice(maps[0], [0, 0, 0, 0], [-1, -1, -1, 1])), resize(resize(psp, 4), 8));
      const level3 = resize(psp, 8);
      const got0 = tf.slice(features, [0, 0, 0, 0], [-1, -1, -1, 1]);
      const got1 = tf.slice(features, [0, 0, 0, 1], [-1, -1, -1, 1]);
      expect(tf.max(tf.abs(tf.sub(got0, level0))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(got1, level3))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(got1).dataSync()[0]).toBeGreaterThan(0);
    });
    params.dispose();
  });
});
