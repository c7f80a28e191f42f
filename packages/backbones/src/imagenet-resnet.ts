/**
 * ImageNet ResNets and ResNeXts with torchvision semantics:
 * He et al., "Deep Residual Learning for Image Recognition", CVPR 2016 (Table 1), and Xie et al.,
 * "Aggregated Residual Transformations for Deep Neural Networks" (ResNeXt), CVPR 2017.
 * Stem 7x7/2 conv (padding 3) + BN + ReLU + 3x3/2 max pool (padding 1); four stages of 64, 128,
 * 256, 512 planes with stride 1, 2, 2, 2; BasicBlock (expansion 1) or Bottleneck (expansion 4,
 * stride on the 3x3 conv, "ResNet v1.5", width = planes * widthPerGroup / 64 * groups, grouped
 * 3x3 conv); projection shortcut `downsample` = 1x1 conv with stride + BN. Init as torchvision:
 * Kaiming-normal fan_out convs, BN gamma 1 / beta 0, no zero-init of the last BN per block.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import type { ParamSet } from './param-set.js';
import { stemMaxPool } from './pooling.js';
import type { Trunk, TrunkBuilder } from './trunk.js';

export interface ImageNetResNetConfig {
  block: 'basic' | 'bottleneck';
  /** Blocks per stage, e.g. [3, 4, 6, 3] for ResNet-50. */
  layers: readonly [number, number, number, number];
  /** @defaultValue 1 */
  groups?: number;
  /** @defaultValue 64 */
  widthPerGroup?: number;
}

const STAGE_PLANES = [64, 128, 256, 512] as const;

interface Block {
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

interface ConvBn {
  conv: Conv2d;
  bn: BatchNorm;
}

function convBn(
  params: ParamSet,
  convName: string,
  bnName: string,
  cin: number,
  cout: number,
  k: number,
  stride = 1,
  groups = 1,
): ConvBn {
  const conv = createConv2d(params, convName, {
    inChannels: cin,
    outChannels: cout,
    kernelSize: k,
    stride,
    padding: (k - 1) / 2,
    groups,
    init: 'kaimingNormalFanOut',
  });
  return { conv, bn: createBatchNorm(params, bnName, cout) };
}

function applyConvBn(layer: ConvBn, x: tf.Tensor4D, training: boolean): tf.Tensor4D {
  return layer.bn.apply(layer.conv.apply(x), training);
}

function createDownsample(params: ParamSet, name: string, cin: number, cout: number, stride: number): ConvBn {
  return convBn(params, `${name}.downsample.0`, `${name}.downsample.1`, cin, cout, 1, stride);
}

function createBasicBlock(params: ParamSet, name: string, inPlanes: number, planes: number, stride: number): Block {
  const first = convBn(params, `${name}.conv1`, `${name}.bn1`, inPlanes, planes, 3, stride);
  const second = convBn(params, `${name}.conv2`, `${name}.bn2`, planes, planes, 3);
  const downsample =
    stride !== 1 || inPlanes !== planes ? createDownsample(params, name, inPlanes, planes, stride) : null;
  return {
    apply: (x, training) =>
      tf.tidy(() => {
        const out = applyConvBn(second, tf.relu(applyConvBn(first, x, training)), training);
        const identity = downsample === null ? x : applyConvBn(downsample, x, training);
        return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
      }),
  };
}

function createBottleneck(
  params: ParamSet,
  name: string,
  inPlanes: number,
  planes: number,
  stride: number,
  groups: number,
  widthPerGroup: number,
): Block {
  const width = Math.floor((planes * widthPerGroup) / 64) * groups;
  const outPlanes = planes * 4;
  const reduce = convBn(params, `${name}.conv1`, `${name}.bn1`, inPlanes, width, 1);
  const spatial = convBn(params, `${name}.conv2`, `${name}.bn2`, width, width, 3, stride, groups);
  const expand = convBn(params, `${name}.conv3`, `${name}.bn3`, width, outPlanes, 1);
  const downsample =
    stride !== 1 || inPlanes !== outPlanes ? createDownsample(params, name, inPlanes, outPlanes, stride) : null;
  return {
    apply: (x, training) =>
      tf.tidy(() => {
        let out = tf.relu(applyConvBn(reduce, x, training));
        out = tf.relu(applyConvBn(spatial, out, training));
        out = applyConvBn(expand, out, training);
        const identity = downsample === null ? x : applyConvBn(downsample, x, training);
        return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
      }),
  };
}

export function imageNetResNet(config: ImageNetResNetConfig): TrunkBuilder {
  const groups = config.groups ?? 1;
  const widthPerGroup = config.widthPerGroup ?? 64;
  const expansion = config.block === 'basic' ? 1 : 4;
  return (params, inChannels): Trunk => {
    const stem = convBn(params, 'conv1', 'bn1', inChannels, 64, 7, 2);
    const blocks: Block[] = [];
    let inPlanes = 64;
    STAGE_PLANES.forEach((planes, stage) => {
      const count = config.layers[stage] ?? 0;
      for (let b = 0; b < count; b++) {
        const stride = stage > 0 && b === 0 ? 2 : 1;
        const name = `layer${stage + 1}.${b}`;
        blocks.push(
          config.block === 'basic'
            ? createBasicBlock(params, name, inPlanes, planes, stride)
            : createBottleneck(params, name, inPlanes, planes, stride, groups, widthPerGroup),
        );
        inPlanes = planes * expansion;
      }
    });
    return {
      featureDim: 512 * expansion,
      featureMap: (x, training) =>
        tf.tidy(() => {
          let out = stemMaxPool(tf.relu(applyConvBn(stem, x, training)));
          for (const block of blocks) out = block.apply(out, training);
          return out;
        }),
    };
  };
}
