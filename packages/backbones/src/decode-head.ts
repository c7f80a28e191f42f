import type * as tf from '@tensorflow/tfjs-core';

/** The four trunk stage outputs, NHWC, strides 4, 8, 16 and 32 without dilation. */
export type StageMaps = readonly [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];

export interface DecodeHeadForwardOptions {
  training: boolean;
  /** Seed of the Dropout2d mask before the classifier (used in training only). */
  dropoutSeed: number;
}

export interface DecodeHeadOutput {
  /** The head's last feature map, before dropout and the classifier (what Region Rebalance pools). */
  features: tf.Tensor4D;
  /** Per-pixel logits at the features' resolution, `[B, h, w, classes]`. */
  logits: tf.Tensor4D;
}

/**
 * A decode head (mmsegmentation's BaseDecodeHead): reads some trunk stages and gives per-pixel
 * features and logits at its own resolution; upsampling to the label size is the model's.
 */
export interface DecodeHead {
  /** Channels of `features` (mmsegmentation's `channels`). */
  readonly channels: number;
  /** Stride of `features` relative to the input, given the trunk's stage strides. */
  featureStride(stageStrides: readonly [number, number, number, number]): number;
  apply(stages: StageMaps, options: DecodeHeadForwardOptions): DecodeHeadOutput;
}
