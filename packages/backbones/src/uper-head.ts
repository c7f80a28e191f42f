/**
 * UPerNet head: Xiao, Liu, Zhou, Jiang, Sun, "Unified Perceptual Parsing for Scene Understanding",
 * ECCV 2018, §3 (Fig. 3), in mmsegmentation's UPerHead form, the host of Region Rebalance's
 * original code path:
 * - PPM (PSPNet, Zhao et al., CVPR 2017, §3.2) on the last stage: adaptive average pools to
 *   1/2/3/6 bins, a 1x1 ConvModule each, bilinear upsampling back, concatenated with the stage and
 *   fused by a 3x3 ConvModule (`bottleneck`);
 * - FPN (Lin et al., CVPR 2017) over stages 1-3: 1x1 lateral ConvModules, a top-down path that adds
 *   the upsampled coarser level, a 3x3 ConvModule per level;
 * - every level upsampled to stage 1 (stride 4), concatenated, fused by a 3x3 ConvModule
 *   (`fpn_bottleneck`): the decoder feature O; then Dropout2d and the 1x1 classifier.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adaptiveAvgPool } from './adaptive-avg-pool.js';
import { resizeBilinear } from './bilinear-resize.js';
import { type ConvBnRelu, createConvBnRelu } from './conv-bn-relu.js';
import type { DecodeHead, DecodeHeadForwardOptions, DecodeHeadOutput, StageMaps } from './decode-head.js';
import type { ParamDeclarer } from './param-set.js';
import { createPixelClassifier } from './pixel-classifier.js';

export interface UperHeadOptions {
  /** Channels of the four trunk stages. */
  inChannels: readonly [number, number, number, number];
  /** Width of every PPM branch, lateral and FPN level (mmsegmentation: 512). */
  channels: number;
  /** @defaultValue [1, 2, 3, 6] */
  poolScales?: readonly number[];
  numClasses: number;
  dropoutRate: number;
  alignCorners: boolean;
}

export function createUperHead(params: ParamDeclarer, options: UperHeadOptions): DecodeHead {
  const { inChannels, channels, numClasses, alignCorners } = options;
  const poolScales = options.poolScales ?? [1, 2, 3, 6];
  const top = inChannels[3];
  const pools = poolScales.map((_, i) =>
    createConvBnRelu(params, `psp_modules.${i}.1`, { inChannels: top, outChannels: channels, kernelSize: 1 }),
  );
  const pspBottleneck = createConvBnRelu(params, 'bottleneck', {
    inChannels: top + poolScales.length * channels,
    outChannels: channels,
    kernelSize: 3,
  });
  const laterals: ConvBnRelu[] = [];
  const fpnConvs: ConvBnRelu[] = [];
  for (let i = 0; i < 3; i++) {
    laterals.push(
      createConvBnRelu(params, `lateral_convs.${i}`, {
        inChannels: inChannels[i] as number,
        outChannels: channels,
        kernelSize: 1,
      }),
    );
    fpnConvs.push(
      createConvBnRelu(params, `fpn_convs.${i}`, { inChannels: channels, outChannels: channels, kernelSize: 3 }),
    );
  }
  const fpnBottleneck = createConvBnRelu(params, 'fpn_bottleneck', {
    inChannels: 4 * channels,
    outChannels: channels,
    kernelSize: 3,
  });
  const classifier = createPixelClassifier(params, 'conv_seg', {
    inChannels: channels,
    numClasses,
    dropoutRate: options.dropoutRate,
  });
  const resizeTo = (x: tf.Tensor4D, like: tf.Tensor4D): tf.Tensor4D =>
    resizeBilinear(x, [like.shape[1], like.shape[2]], { alignCorners });
  return {
    channels,
    featureStride: (stageStrides) => stageStrides[0],
    apply(stages: StageMaps, forward: DecodeHeadForwardOptions): DecodeHeadOutput {
      const { training, dropoutSeed } = forward;
      return tf.tidy(() => {
        const last = stages[3];
        const pyramid = poolScales.map((scale, i) =>
          resizeTo((pools[i] as ConvBnRelu).apply(adaptiveAvgPool(last, scale), training), last),
        );
        const levels = laterals.map((lateral, i) => lateral.apply(stages[i] as tf.Tensor4D, training));
        levels.push(pspBottleneck.apply(tf.concat([last, ...pyramid], 3), training));
        // Top-down: each level adds the (already merged) coarser level, upsampled to its size.
        for (let i = levels.length - 1; i > 0; i--) {
          const finer = levels[i - 1] as tf.Tensor4D;
          levels[i - 1] = tf.add(finer, resizeTo(levels[i] as tf.Tensor4D, finer));
        }
        const outs = levels.map((level, i) => (i < 3 ? (fpnConvs[i] as ConvBnRelu).apply(level, training) : level));
        const finest = outs[0] as tf.Tensor4D;
        const fused = tf.concat(
          outs.map((out, i) => (i === 0 ? out : resizeTo(out, finest))),
          3,
        );
        const features = fpnBottleneck.apply(fused, training);
        return { features, logits: classifier.apply(features, training, dropoutSeed) };
      });
    },
  };
}
