import * as tf from '@tensorflow/tfjs-core';
import { dropout } from './dropout.js';
import { constant } from './init-rule.js';
import type { ParamDeclarer, ParamRef } from './param-set.js';

/**
 * mmsegmentation's `cls_seg`: `nn.Dropout2d(p)` then `conv_seg`, a 1x1 conv with bias from the
 * decode channels to the classes, initialised normal(0, 0.01) with bias 0 (BaseDecodeHead's
 * init). Named `<name>.weight` `[1, 1, channels, classes]` and `<name>.bias`.
 */
export interface PixelClassifier {
  readonly weight: ParamRef;
  readonly bias: ParamRef;
  /** Logits `[B, h, w, classes]`; dropout only when `training` and `dropoutRate` > 0. */
  apply(features: tf.Tensor4D, training: boolean, dropoutSeed: number): tf.Tensor4D;
}

export function createPixelClassifier(
  params: ParamDeclarer,
  name: string,
  options: { inChannels: number; numClasses: number; dropoutRate: number },
): PixelClassifier {
  const { inChannels, numClasses, dropoutRate } = options;
  const weight = params.declare({
    name: `${name}.weight`,
    shape: [1, 1, inChannels, numClasses],
    role: 'parameter',
    init: { kind: 'normal', std: 0.01 },
  });
  const bias = params.declare({ name: `${name}.bias`, shape: [numClasses], role: 'parameter', init: constant(0) });
  return {
    weight,
    bias,
    apply: (features, training, dropoutSeed) =>
      tf.tidy(() => {
        const dropped = training && dropoutRate > 0 ? dropout(features, dropoutRate, dropoutSeed, true) : features;
        return tf.add(tf.conv2d(dropped, weight.value as tf.Tensor4D, 1, 0), bias.value) as tf.Tensor4D;
      }),
  };
}
