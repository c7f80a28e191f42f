import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { passChannel, setEntries, zeroAll } from './__fixtures__/hand-weights.js';
import type { StageMaps } from './decode-head.js';
import { createFcnHead } from './fcn-head.js';
import { ParamSet } from './param-set.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('FCN head', () => {
  it('declares mmsegmentation FCNHead tensors: convs, conv_cat over [input, convs], conv_seg', () => {
    const params = new ParamSet();
    createFcnHead(params, {
      inIndex: 3,
      inChannels: 8,
      channels: 4,
      numConvs: 2,
      concatInput: true,
      numClasses: 5,
      dropoutRate: 0.1,
    });
    expect(params.specs.filter((s) => s.role === 'parameter').map((s) => [s.name, s.shape])).toEqual([
      ['convs.0.conv.weight', [3, 3, 8, 4]],
      ['convs.0.bn.weight', [4]],
      ['convs.0.bn.bias', [4]],
      ['convs.1.conv.weight', [3, 3, 4, 4]],
      ['convs.1.bn.weight', [4]],
      ['convs.1.bn.bias', [4]],
      ['conv_cat.conv.weight', [3, 3, 12, 4]],
      ['conv_cat.bn.weight', [4]],
      ['conv_cat.bn.bias', [4]],
      ['conv_seg.weight', [1, 1, 4, 5]],
      ['conv_seg.bias', [5]],
    ]);
  });

  it('concatenates the stage input before the conv output (hand weights) and classifies with conv_seg', () => {
    const params = new ParamSet();
    const head = createFcnHead(params, {
      inIndex: 2,
      inChannels: 2,
      channels: 2,
      numConvs: 1,
      concatInput: true,
      numClasses: 2,
      dropoutRate: 0.1,
    });
    params.materialize({ seed: 0 }, true);
    zeroAll(params);
    // convs.0 outputs 0 (BN gamma 0); conv_cat copies concat channels 0 and 1 (the stage input).
    passChannel(params, 'conv_cat', 0, 0, 3);
    passChannel(params, 'conv_cat', 1, 1, 3);
    setEntries(params, 'conv_seg.weight', [
      [0, 0, 0, 0, 1],
      [0, 0, 1, 0, 2],
      [0, 0, 1, 1, -1],
    ]);
    setEntries(params, 'conv_seg.bias', [
      [0, 0.5],
      [1, 0.25],
    ]);
    tf.tidy(() => {
      const x = tf.tensor4d([1, -2, -3, 4, 5, 6, -7, -8], [1, 2, 2, 2]);
      const unused = tf.zeros([1, 1, 1, 1]) as tf.Tensor4D;
      const stages: StageMaps = [unused, unused, x, unused];
      const { features, logits } = head.apply(stages, { training: false, dropoutSeed: 0 });
      // features = relu(x); logit 0 = f0 + 2 f1 + 0.5, logit 1 = -f1 + 0.25.
      expect(Array.from(features.dataSync())).toEqual([1, 0, 0, 4, 5, 6, 0, 0]);
      const expected = [
        [1.5, 0.25],
        [8.5, -3.75],
        [17.5, -5.75],
        [0.5, 0.25],
      ].flat();
      Array.from(logits.dataSync()).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i] as number, 5);
      });
    });
    params.dispose();
  });

  it('needs channels equal to the input width without convs', () => {
    expect(() =>
      createFcnHead(new ParamSet(), {
        inIndex: 3,
        inChannels: 8,
        channels: 4,
        numConvs: 0,
        concatInput: false,
        numClasses: 2,
        dropoutRate: 0,
      }),
    ).toThrow(/must equal channels/);
  });
});
