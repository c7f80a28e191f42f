import * as tf from '@tensorflow/tfjs-core';
import { groupedConv2d } from './grouped-conv2d.js';
import { kaimingNormal } from './init-rule.js';
import type { ParamRef, ParamSet } from './param-set.js';

export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  /** @defaultValue 1 */
  stride?: number;
  /** Symmetric zero padding, as PyTorch's `padding`. @defaultValue 0 */
  padding?: number;
  /** @defaultValue 1 */
  groups?: number;
  /**
   * Kaiming-normal fan: `fanOut` is torchvision's ResNet init (`mode='fan_out'`), `fanIn` the CIFAR
   * ResNet's (`kaiming_normal_` defaults). Fans follow PyTorch: fan_in = cin/groups*k*k,
   * fan_out = cout*k*k.
   */
  init: 'kaimingNormalFanOut' | 'kaimingNormalFanIn';
}

/** A bias-free convolution (every conv of the ResNets is followed by BN). */
export interface Conv2d {
  readonly weight: ParamRef;
  apply(x: tf.Tensor4D): tf.Tensor4D;
}

export function createConv2d(params: ParamSet, name: string, options: Conv2dOptions): Conv2d {
  const { inChannels, outChannels, kernelSize: k, init } = options;
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 0;
  const groups = options.groups ?? 1;
  const fan = init === 'kaimingNormalFanOut' ? outChannels * k * k : (inChannels / groups) * k * k;
  const weight = params.declare({
    name: `${name}.weight`,
    shape: [k, k, inChannels / groups, outChannels],
    role: 'parameter',
    init: kaimingNormal(fan),
  });
  return {
    weight,
    apply(x) {
      const filter = weight.value as tf.Tensor4D;
      if (groups > 1) return groupedConv2d(x, filter, { stride, padding, groups });
      return tf.conv2d(x, filter, stride, padding);
    },
  };
}
