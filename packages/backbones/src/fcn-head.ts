/**
 * FCN head: Long, Shelhamer, Darrell, "Fully Convolutional Networks for Semantic Segmentation",
 * CVPR 2015, in mmsegmentation's form (FCNHead): `numConvs` 3x3 ConvModules (conv + BN + ReLU) on
 * one trunk stage, optionally a `conv_cat` ConvModule over [stage input, conv output] concatenated
 * (`concat_input`), then Dropout2d and the 1x1 classifier `conv_seg`. As decode head: stage 4,
 * 2 convs, concat_input; as the auxiliary head of PSPNet / UPerNet / DeepLab configs: stage 3,
 * 1 conv of 256 channels, no concat (its loss weight, 0.4, belongs to training).
 */
import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ConvBnRelu, createConvBnRelu } from './conv-bn-relu.js';
import type { DecodeHead, DecodeHeadForwardOptions, DecodeHeadOutput, StageMaps } from './decode-head.js';
import type { ParamDeclarer } from './param-set.js';
import { createPixelClassifier } from './pixel-classifier.js';

export interface FcnHeadOptions {
  /** Trunk stage read, 0-based (3: the last stage; 2: stage 3 for the auxiliary head). */
  inIndex: 0 | 1 | 2 | 3;
  inChannels: number;
  channels: number;
  numConvs: number;
  concatInput: boolean;
  numClasses: number;
  dropoutRate: number;
  /** @defaultValue 3 */
  kernelSize?: number;
}

export function createFcnHead(params: ParamDeclarer, options: FcnHeadOptions): DecodeHead {
  const { inIndex, inChannels, channels, numConvs, concatInput, numClasses, dropoutRate } = options;
  const kernelSize = options.kernelSize ?? 3;
  if (numConvs === 0 && inChannels !== channels) {
    throw new LtlabError(
      'CONFIG.INVALID',
      `An FCN head without convs passes its input through: in channels ${inChannels} must equal channels ${channels}.`,
      { fix: 'Set numConvs >= 1 or channels to the stage width.' },
    );
  }
  const convs: ConvBnRelu[] = [];
  for (let i = 0; i < numConvs; i++) {
    convs.push(
      createConvBnRelu(params, `convs.${i}`, {
        inChannels: i === 0 ? inChannels : channels,
        outChannels: channels,
        kernelSize,
      }),
    );
  }
  const concat = concatInput
    ? createConvBnRelu(params, 'conv_cat', { inChannels: inChannels + channels, outChannels: channels, kernelSize })
    : null;
  const classifier = createPixelClassifier(params, 'conv_seg', { inChannels: channels, numClasses, dropoutRate });
  return {
    channels,
    featureStride: (stageStrides) => stageStrides[inIndex],
    apply(stages: StageMaps, options: DecodeHeadForwardOptions): DecodeHeadOutput {
      const { training, dropoutSeed } = options;
      const input = stages[inIndex];
      return tf.tidy(() => {
        let features = input;
        for (const conv of convs) features = conv.apply(features, training);
        if (concat !== null) features = concat.apply(tf.concat([input, features], 3), training);
        if (features === input) features = tf.clone(input);
        return { features, logits: classifier.apply(features, training, dropoutSeed) };
      });
    },
  };
}
