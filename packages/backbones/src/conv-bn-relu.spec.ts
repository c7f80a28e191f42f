import { initRuntime } from '@ltlab/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BN_EPSILON } from './batch-norm.js';
import { createConvBnRelu } from './conv-bn-relu.js';
import { ParamSet } from './param-set.js';

beforeAll(async () => {
  await initRuntime({ backend: 'cpu' });
});

describe('ConvBnRelu (mmcv ConvModule)', () => {
  it('names conv and bn as mmcv, inits Kaiming-normal fan_out, keeps the size with "same" padding at any dilation', () => {
    const params = new ParamSet();
    const layer = createConvBnRelu(params, 'm', { inChannels: 2, outChannels: 3, kernelSize: 3, dilation: 2 });
    expect(params.specs.map((s) => s.name)).toEqual([
      'm.conv.weight',
      'm.bn.weight',
      'm.bn.bias',
      'm.bn.running_mean',
      'm.bn.running_var',
    ]);
    expect(params.specs[0]?.init).toEqual({ kind: 'normal', std: Math.sqrt(2 / (3 * 9)) });
    params.materialize({ seed: 1 }, true);
    tf.tidy(() => {
      const x = tf.randomNormal([1, 7, 5, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
      const y = layer.apply(x, false);
      expect(y.shape).toEqual([1, 7, 5, 3]);
      // Evaluation with fresh statistics: relu(conv(x) / sqrt(1 + eps)).
      const expected = tf.relu(
        tf.div(tf.conv2d(x, layer.conv.weight.value as tf.Tensor4D, 1, 2, 'NHWC', 2), Math.sqrt(1 + BN_EPSILON)),
      );
      expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
    });
    params.dispose();
  });
});
