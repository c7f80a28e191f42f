/**
 * ResLT branches (Cui et al., "ResLT: Residual Learning for Long-tailed Recognition", TPAMI 2022;
 * docs/methods.md §9.1). Three branches (H: all classes, M: medium + tail, T: tail) share the trunk and
 * the backbone's linear classifier `fc`; the fused logit is zH + zM + zT (summed by the caller).
 * - `cifar`: the last feature map goes through three separate BatchNorm layers (BNH, BNM, BNT; no
 *   ReLU after them), each is average-pooled, and the shared `fc` gives the three logits.
 * - `imagenet`: `finalBlock` = 1x1 conv D -> 3D (no bias) -> BN(3D) -> ReLU; the 3D vector is split
 *   into three contiguous D chunks (H, M, T). With `afterConv1x1` the block runs on the map and
 *   pooling follows **in training**; in evaluation (and always without the flag) pooling comes
 *   first and the block runs on the 1x1 map. Because of the ReLU the orders differ: training sees
 *   mean(ReLU(.)), evaluation ReLU(mean(.)). This reproduces the original code.
 * At inference ResLT uses tau-normalised `fc` weights without bias (`tauNormGamma`), and `predict`
 * fuses the branches: zH + zM + zT, or zH + zM for the two-branch iNaturalist model (§9.1-9.2).
 */
import { parseOrThrow } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Backbone } from './backbone.js';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { type Conv2d, createConv2d } from './conv2d.js';
import type { ForwardOptions } from './module.js';
import { ParamSet } from './param-set.js';
import { ParamSetModule } from './param-set-module.js';
import { globalAvgPool } from './pooling.js';
import { resltHeadConfigOptionsSchema } from './schema/reslt-head-config-options.js';
import { tauNormalizedLogits } from './tau-norm.js';

/** The run config's `method.head` options (@ltlab/backbones/schema) plus the seed the trainer derives. */
export const resltHeadOptionsSchema = resltHeadConfigOptionsSchema.extend({
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
});

export type ResltHeadOptions = z.input<typeof resltHeadOptionsSchema>;

export interface ResltLogits {
  logitsH: tf.Tensor2D;
  logitsM: tf.Tensor2D;
  logitsT: tf.Tensor2D;
}

export interface ResltForwardOptions extends ForwardOptions {
  /** Score with tau-normalised `fc` weights and no bias (ResLT inference); omit for the plain `fc`. */
  tauNormGamma?: number;
}

export interface ResltPredictOptions {
  /** Score with tau-normalised `fc` weights and no bias (docs/methods.md §9.4); omit for the plain `fc`. */
  tauNormGamma?: number;
  /** 3: zH + zM + zT; 2: zH + zM (iNaturalist's script trains H and M only, §9.2). @defaultValue 3 */
  branches?: 2 | 3;
}

type BranchLayers =
  | { variant: 'cifar'; bns: [BatchNorm, BatchNorm, BatchNorm] }
  | { variant: 'imagenet'; conv: Conv2d; bn: BatchNorm };

export class ResltHead extends ParamSetModule {
  readonly backbone: Backbone;
  readonly variant: 'cifar' | 'imagenet';
  readonly afterConv1x1: boolean;
  readonly #layers: BranchLayers;

  private constructor(backbone: Backbone, options: z.output<typeof resltHeadOptionsSchema>) {
    const variant = options.variant ?? backbone.family;
    const d = backbone.featureDim;
    const params = new ParamSet();
    const layers: BranchLayers =
      variant === 'cifar'
        ? {
            variant,
            bns: [
              createBatchNorm(params, 'BNH', d),
              createBatchNorm(params, 'BNM', d),
              createBatchNorm(params, 'BNT', d),
            ],
          }
        : {
            variant,
            conv: createConv2d(params, 'finalBlock.0', {
              inChannels: d,
              outChannels: 3 * d,
              kernelSize: 1,
              init: 'kaimingNormalFanOut',
            }),
            bn: createBatchNorm(params, 'finalBlock.1', 3 * d),
          };
    params.materialize({ seed: options.seed }, options.trainable);
    super(params, `ResLT ${variant} branches on ${backbone.name}`);
    this.backbone = backbone;
    this.variant = variant;
    this.afterConv1x1 = options.afterConv1x1;
    this.#layers = layers;
  }

  /** Branch tensors for `backbone`, which this head uses but does not own (dispose it yourself). */
  static create(backbone: Backbone, options: ResltHeadOptions = {}): ResltHead {
    return new ResltHead(backbone, parseOrThrow(resltHeadOptionsSchema, options, 'ResLT head options'));
  }

  /** The pooled H, M and T features, each `[B, featureDim]`. */
  branchFeatures(x: tf.Tensor4D, options: ForwardOptions): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
    const { training } = options;
    const layers = this.#layers;
    return tf.tidy(() => {
      const map = this.backbone.featureMap(x, options);
      if (layers.variant === 'cifar') {
        const [h, m, t] = layers.bns.map((bn) => globalAvgPool(bn.apply(map, training)));
        return [h, m, t] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      }
      const block = (input: tf.Tensor4D): tf.Tensor4D => tf.relu(layers.bn.apply(layers.conv.apply(input), training));
      const pooled =
        training && this.afterConv1x1
          ? globalAvgPool(block(map))
          : globalAvgPool(block(tf.expandDims(tf.expandDims(globalAvgPool(map), 1), 1) as tf.Tensor4D));
      return tf.split(pooled, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    });
  }

  /** The three branch logits through the shared classifier. */
  forward(x: tf.Tensor4D, options: ResltForwardOptions): ResltLogits {
    return tf.tidy(() => {
      const gamma = options.tauNormGamma;
      const score = (h: tf.Tensor2D): tf.Tensor2D =>
        gamma === undefined
          ? this.backbone.head(h)
          : tauNormalizedLogits(h, this.backbone.classifier.weight.value as tf.Tensor2D, gamma);
      const [h, m, t] = this.branchFeatures(x, options);
      return { logitsH: score(h), logitsM: score(m), logitsT: score(t) };
    });
  }

  /** Class scores at evaluation (docs/methods.md §9.1): the branch logits of eval mode, summed. */
  predict(x: tf.Tensor4D, options: ResltPredictOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const { tauNormGamma, branches = 3 } = options;
      const { logitsH, logitsM, logitsT } = this.forward(x, {
        training: false,
        ...(tauNormGamma === undefined ? {} : { tauNormGamma }),
      });
      return branches === 3 ? tf.addN([logitsH, logitsM, logitsT]) : tf.add(logitsH, logitsM);
    });
  }
}
