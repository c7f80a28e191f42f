/**
 * CIFAR ResNets: He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016,
 * §4.2: a 3x3 conv with 16 filters, then three stages of n BasicBlocks with 16, 32 and 64 filters
 * (6n + 2 layers), global average pooling and a linear classifier. Shortcuts use option A: when a
 * block halves the resolution and doubles the width, the identity is subsampled (`x[:, ::2, ::2]`)
 * and zero-padded with planes/4 channels on each side, so shortcuts add no parameters. This is
 * the `resnet_cifar` model used by PaCo and ResLT (docs/methods.md §8.2, §9.1, §11): every conv and linear
 * weight is Kaiming-normal (fan_in); BN gamma 1, beta 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import type { ParamDeclarer } from './param-set.js';
import { takeEveryOther } from './pooling.js';
import type { Trunk, TrunkBuilder } from './trunk.js';

export const CIFAR_STAGE_WIDTHS = [16, 32, 64] as const;

interface BasicBlockA {
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

function createBasicBlockA(
  params: ParamDeclarer,
  name: string,
  inPlanes: number,
  planes: number,
  stride: number,
): BasicBlockA {
  const conv = (suffix: string, cin: number): Conv2d =>
    createConv2d(params, `${name}.${suffix}`, {
      inChannels: cin,
      outChannels: planes,
      kernelSize: 3,
      stride: suffix === 'conv1' ? stride : 1,
      padding: 1,
      init: 'kaimingNormalFanIn',
    });
  const conv1 = conv('conv1', inPlanes);
  const bn1: BatchNorm = createBatchNorm(params, `${name}.bn1`, planes);
  const conv2 = conv('conv2', planes);
  const bn2 = createBatchNorm(params, `${name}.bn2`, planes);
  const reshapes = stride !== 1 || inPlanes !== planes;
  const padEachSide = Math.floor(planes / 4);
  return {
    apply: (x, training) =>
      tf.tidy(() => {
        const out = bn2.apply(conv2.apply(tf.relu(bn1.apply(conv1.apply(x), training))), training);
        const shortcut = reshapes
          ? tf.pad(takeEveryOther(x), [
              [0, 0],
              [0, 0],
              [0, 0],
              [padEachSide, padEachSide],
            ])
          : x;
        return tf.relu(tf.add(out, shortcut)) as tf.Tensor4D;
      }),
  };
}

/** A CIFAR ResNet of depth 6n + 2 (n blocks per stage). */
export function cifarResNet(depth: number): TrunkBuilder {
  const blocksPerStage = (depth - 2) / 6;
  return (params, inChannels): Trunk => {
    const conv1 = createConv2d(params, 'conv1', {
      inChannels,
      outChannels: CIFAR_STAGE_WIDTHS[0],
      kernelSize: 3,
      padding: 1,
      init: 'kaimingNormalFanIn',
    });
    const bn1 = createBatchNorm(params, 'bn1', CIFAR_STAGE_WIDTHS[0]);
    const blocks: BasicBlockA[] = [];
    let inPlanes: number = CIFAR_STAGE_WIDTHS[0];
    CIFAR_STAGE_WIDTHS.forEach((planes, stage) => {
      for (let b = 0; b < blocksPerStage; b++) {
        const stride = stage > 0 && b === 0 ? 2 : 1;
        blocks.push(createBasicBlockA(params, `layer${stage + 1}.${b}`, inPlanes, planes, stride));
        inPlanes = planes;
      }
    });
    return {
      featureDim: CIFAR_STAGE_WIDTHS[2],
      featureMap: (x, training) =>
        tf.tidy(() => {
          let out = tf.relu(bn1.apply(conv1.apply(x), training));
          for (const block of blocks) out = block.apply(out, training);
          return out;
        }),
    };
  };
}
