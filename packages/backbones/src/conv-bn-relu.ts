import * as tf from '@tensorflow/tfjs-core';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import type { ParamDeclarer } from './param-set.js';

export interface ConvBnReluOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  /** @defaultValue 1 */
  dilation?: number;
}

/**
 * mmcv's `ConvModule` as the decode heads use it: a bias-free conv ("same" padding,
 * dilation * (k - 1) / 2), BN and ReLU, with mmcv's init (Kaiming-normal fan_out). Tensor names
 * follow mmcv: `<name>.conv.weight`, `<name>.bn.*`.
 */
export interface ConvBnRelu {
  readonly conv: Conv2d;
  readonly bn: BatchNorm;
  readonly outChannels: number;
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

export function createConvBnRelu(params: ParamDeclarer, name: string, options: ConvBnReluOptions): ConvBnRelu {
  const { inChannels, outChannels, kernelSize } = options;
  const dilation = options.dilation ?? 1;
  const conv = createConv2d(params, `${name}.conv`, {
    inChannels,
    outChannels,
    kernelSize,
    padding: (dilation * (kernelSize - 1)) / 2,
    dilation,
    init: 'kaimingNormalFanOut',
  });
  const bn = createBatchNorm(params, `${name}.bn`, outChannels);
  return {
    conv,
    bn,
    outChannels,
    apply: (x, training) => tf.tidy(() => tf.relu(bn.apply(conv.apply(x), training))),
  };
}
