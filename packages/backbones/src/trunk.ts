import type * as tf from '@tensorflow/tfjs-core';
import type { ParamSet } from './param-set.js';

/** A backbone without its classifier: declares its tensors into a ParamSet and maps images to the last stage. */
export interface Trunk {
  readonly featureDim: number;
  featureMap(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

export type TrunkBuilder = (params: ParamSet, inChannels: number) => Trunk;
