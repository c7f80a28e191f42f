import type * as tf from '@tensorflow/tfjs-core';
import type { Linear } from './linear.js';
import type { ForwardOptions, ParamModule, VariableLists } from './module.js';
import type { BackboneFamily } from './schema/backbone-family.js';

export type { BackboneFamily };

/**
 * One interface for every backbone (docs/architecture.md §5.6, timm's forward_features / forward_head):
 * `featureMap` (last stage, NHWC) -> `features` (global average pool, `[B, featureDim]`) ->
 * `head` (linear classifier with bias, named `fc`) -> logits. Heads such as the PaCo MLP or the
 * ResLT branches and the momentum encoder wrap this interface.
 */
export interface Backbone extends ParamModule, VariableLists {
  readonly name: string;
  readonly family: BackboneFamily;
  /** Width D of the pooled feature. */
  readonly featureDim: number;
  readonly numClasses: number;
  /** `[height, width, channels]` the backbone was created for; any height and width run. */
  readonly inputShape: readonly [number, number, number];
  /** The classifier (`fc`): weight `[featureDim, numClasses]`, bias `[numClasses]`. */
  readonly classifier: Linear;
  featureMap(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D;
  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  head(features: tf.Tensor2D): tf.Tensor2D;
  forward(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  /**
   * A new backbone of the same architecture holding copies of the current values (running
   * statistics included). `trainable: false` gives a frozen copy such as the MoCo key encoder.
   */
  clone(options?: { trainable?: boolean }): Backbone;
}
