import type * as tf from '@tensorflow/tfjs-core';
import type { ParamDeclarer } from './param-set.js';

/** A backbone without its classifier: declares its tensors into a ParamSet and maps images to the last stage. */
export interface Trunk {
  readonly featureDim: number;
  featureMap(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

export type TrunkBuilder = (params: ParamDeclarer, inChannels: number) => Trunk;

/**
 * A trunk that exposes every stage, for dense prediction: FPN-style necks and decoders read
 * several resolutions (DeepLabv3+ stage 1, the auxiliary FCN head stage 3, UPerNet all four).
 */
export interface StagedTrunk {
  /** Channels of the four stage outputs. */
  readonly stageChannels: readonly [number, number, number, number];
  /** Input size over each stage's size: [4, 8, 16, 32] without dilation, [4, 8, 8, 8] at output stride 8. */
  readonly stageStrides: readonly [number, number, number, number];
  /** The four stage outputs, NHWC; the caller owns (disposes) them. */
  stageMaps(x: tf.Tensor4D, training: boolean): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
}

export type StagedTrunkBuilder = (params: ParamDeclarer, inChannels: number) => StagedTrunk;
