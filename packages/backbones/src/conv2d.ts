import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { atrousConv2d } from './atrous-conv2d.js';
import { groupedConv2d } from './grouped-conv2d.js';
import { kaimingNormal, pytorchLinearDefault } from './init-rule.js';
import type { ParamDeclarer, ParamRef } from './param-set.js';

export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  /** @defaultValue 1 */
  stride?: number;
  /** Symmetric zero padding, as PyTorch's `padding`. @defaultValue 0 */
  padding?: number;
  /** Gap between kernel taps, as PyTorch's `dilation`; needs stride 1 when above 1. @defaultValue 1 */
  dilation?: number;
  /** @defaultValue 1 */
  groups?: number;
  /**
   * Kaiming-normal fan: `fanOut` is torchvision's ResNet init (`mode='fan_out'`) and mmcv's
   * ConvModule init, `fanIn` the CIFAR ResNet's (`kaiming_normal_` defaults). Fans follow PyTorch:
   * fan_in = cin/groups*k*k, fan_out = cout*k*k. `pytorchDefault` is `nn.Conv2d`'s own init
   * (uniform, bound 1/sqrt(fan_in)), for layers no init function touches.
   */
  init: 'kaimingNormalFanOut' | 'kaimingNormalFanIn' | 'pytorchDefault';
}

/** A bias-free convolution (every conv of the ResNets and of the decode heads is followed by BN). */
export interface Conv2d {
  readonly weight: ParamRef;
  apply(x: tf.Tensor4D): tf.Tensor4D;
}

export function createConv2d(params: ParamDeclarer, name: string, options: Conv2dOptions): Conv2d {
  const { inChannels, outChannels, kernelSize: k, init } = options;
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 0;
  const dilation = options.dilation ?? 1;
  const groups = options.groups ?? 1;
  if (dilation > 1 && stride !== 1) {
    throw new LtlabError('INTERNAL', `Conv ${name}: dilation ${dilation} needs stride 1, got stride ${stride}.`);
  }
  const fanIn = (inChannels / groups) * k * k;
  const weight = params.declare({
    name: `${name}.weight`,
    shape: [k, k, inChannels / groups, outChannels],
    role: 'parameter',
    init:
      init === 'pytorchDefault'
        ? pytorchLinearDefault(fanIn)
        : kaimingNormal(init === 'kaimingNormalFanOut' ? outChannels * k * k : fanIn),
  });
  return {
    weight,
    apply(x) {
      const filter = weight.value as tf.Tensor4D;
      if (dilation > 1 && onlyCentreTapReachesInput(x.shape[1], x.shape[2], k, dilation, padding)) {
        // Every other tap reads padding only (ASPP rates of 12-36 on small maps): the same
        // output and gradients as the centre tap alone, a 1x1 convolution.
        const centre = (k - 1) / 2;
        return tf.tidy(() => {
          const tap = tf.slice(filter, [centre, centre, 0, 0], [1, 1, -1, -1]);
          return groups > 1 ? groupedConv2d(x, tap, { stride: 1, padding: 0, groups }) : tf.conv2d(x, tap, 1, 0);
        });
      }
      if (dilation > 1) {
        const valid = (phases: tf.Tensor4D): tf.Tensor4D =>
          groups > 1
            ? groupedConv2d(phases, filter, { stride: 1, padding: 0, groups })
            : tf.conv2d(phases, filter, 1, 0);
        return atrousConv2d(x, valid, { dilation, padding });
      }
      if (groups > 1) return groupedConv2d(x, filter, { stride, padding, groups });
      return tf.conv2d(x, filter, stride, padding);
    },
  };
}

/** Whether a stride-1 dilated "same" convolution reads the input only through its centre tap. */
function onlyCentreTapReachesInput(height: number, width: number, k: number, dilation: number, padding: number) {
  const centre = (k - 1) / 2;
  if (centre * dilation !== padding) return false;
  // Tap j is shifted by (j - centre) * dilation: it misses the input when the shift is at least the size.
  return dilation >= height && dilation >= width;
}
