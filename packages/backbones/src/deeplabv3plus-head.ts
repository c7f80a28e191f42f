/**
 * DeepLabv3+ decoder: Chen, Zhu, Papandreou, Schroff, Adam, "Encoder-Decoder with Atrous Separable
 * Convolution for Semantic Image Segmentation", ECCV 2018, §3.1 (Fig. 2), on mmsegmentation's
 * DepthwiseSeparableASPPHead layout:
 * - ASPP (DeepLabv3, Chen et al. 2017, §3.3) on the last stage: an image-pooling branch (global
 *   average pool, 1x1 ConvModule, bilinear upsampling back), a 1x1 branch and 3x3 branches with
 *   dilations 12/24/36 at output stride 8 (6/12/18 at 16), concatenated, then a 3x3 ConvModule;
 * - decoder: the ASPP output upsampled bilinearly to stage 1 (stride 4), concatenated with the
 *   stage-1 features reduced to 48 channels by a 1x1 ConvModule, then two 3x3 ConvModules;
 * - Dropout2d and the 1x1 classifier.
 * mmsegmentation makes the dilated ASPP branches and the two decoder convs depthwise separable
 * (the paper's "atrous separable convolution"); here they are full convolutions: the same
 * receptive fields and outputs shapes, more parameters (docs/segmentation.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import { resizeBilinear } from './bilinear-resize.js';
import { type ConvBnRelu, createConvBnRelu } from './conv-bn-relu.js';
import type { DecodeHead, DecodeHeadForwardOptions, DecodeHeadOutput, StageMaps } from './decode-head.js';
import type { ParamDeclarer } from './param-set.js';
import { createPixelClassifier } from './pixel-classifier.js';

export interface DeepLabV3PlusHeadOptions {
  /** Channels of the last stage (ASPP input). */
  inChannels: number;
  /** Channels of stage 1 (the decoder's low-level input). */
  lowLevelInChannels: number;
  /** Width of every ASPP branch and of the decoder (mmsegmentation: 512). */
  channels: number;
  /** Width of the reduced low-level features (the paper: 48). */
  lowLevelChannels: number;
  /** ASPP rates; 1 is the 1x1 branch. */
  dilations: readonly number[];
  numClasses: number;
  dropoutRate: number;
  alignCorners: boolean;
}

export function createDeepLabV3PlusHead(params: ParamDeclarer, options: DeepLabV3PlusHeadOptions): DecodeHead {
  const { inChannels, lowLevelInChannels, channels, lowLevelChannels, dilations, numClasses, alignCorners } = options;
  const imagePool = createConvBnRelu(params, 'image_pool.1', { inChannels, outChannels: channels, kernelSize: 1 });
  const branches: ConvBnRelu[] = dilations.map((dilation, i) =>
    createConvBnRelu(params, `aspp_modules.${i}`, {
      inChannels,
      outChannels: channels,
      kernelSize: dilation === 1 ? 1 : 3,
      dilation,
    }),
  );
  const bottleneck = createConvBnRelu(params, 'bottleneck', {
    inChannels: (dilations.length + 1) * channels,
    outChannels: channels,
    kernelSize: 3,
  });
  const lowLevel = createConvBnRelu(params, 'c1_bottleneck', {
    inChannels: lowLevelInChannels,
    outChannels: lowLevelChannels,
    kernelSize: 1,
  });
  const decoder = [
    createConvBnRelu(params, 'sep_bottleneck.0', {
      inChannels: channels + lowLevelChannels,
      outChannels: channels,
      kernelSize: 3,
    }),
    createConvBnRelu(params, 'sep_bottleneck.1', { inChannels: channels, outChannels: channels, kernelSize: 3 }),
  ];
  const classifier = createPixelClassifier(params, 'conv_seg', {
    inChannels: channels,
    numClasses,
    dropoutRate: options.dropoutRate,
  });
  return {
    channels,
    featureStride: (stageStrides) => stageStrides[0],
    apply(stages: StageMaps, forward: DecodeHeadForwardOptions): DecodeHeadOutput {
      const { training, dropoutSeed } = forward;
      const [c1, , , c4] = stages;
      return tf.tidy(() => {
        const size = [c4.shape[1], c4.shape[2]] as const;
        const pooled = imagePool.apply(tf.mean(c4, [1, 2], true) as tf.Tensor4D, training);
        const aspp = [
          resizeBilinear(pooled, size, { alignCorners }),
          ...branches.map((branch) => branch.apply(c4, training)),
        ];
        const context = bottleneck.apply(tf.concat(aspp, 3), training);
        const detail = lowLevel.apply(c1, training);
        const upsampled = resizeBilinear(context, [detail.shape[1], detail.shape[2]], { alignCorners });
        let features = tf.concat([upsampled, detail], 3);
        for (const conv of decoder) features = conv.apply(features, training);
        return { features, logits: classifier.apply(features, training, dropoutSeed) };
      });
    },
  };
}
