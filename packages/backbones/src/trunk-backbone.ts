import { LtlabError } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, BackboneFamily } from './backbone.js';
import { createCosineLinear } from './cosine-linear.js';
import { createLinear, type Linear, type LinearInit } from './linear.js';
import type { ForwardOptions } from './module.js';
import { type MaterializeSource, ParamSet } from './param-set.js';
import { ParamSetModule } from './param-set-module.js';
import { globalAvgPool } from './pooling.js';
import type { Trunk, TrunkBuilder } from './trunk.js';

export interface TrunkBackboneConfig {
  name: string;
  family: BackboneFamily;
  build: TrunkBuilder;
  numClasses: number;
  inputShape: readonly [number, number, number];
  classifierInit: LinearInit;
  /** `linear`: `x W + b`; `cosine`: LDAM's normalised classifier (cosine-linear.ts). */
  classifier: ClassifierKind;
}

export type ClassifierKind = 'linear' | 'cosine';

/** Declares the trunk and the `fc` classifier into a fresh ParamSet without allocating anything. */
export function declareTrunkBackbone(config: TrunkBackboneConfig): {
  params: ParamSet;
  trunk: Trunk;
  classifier: Linear;
} {
  const params = new ParamSet();
  const trunk = config.build(params, config.inputShape[2]);
  const classifier =
    config.classifier === 'cosine'
      ? createCosineLinear(params, 'fc', trunk.featureDim, config.numClasses)
      : createLinear(params, 'fc', trunk.featureDim, config.numClasses, config.classifierInit);
  return { params, trunk, classifier };
}

/** The one Backbone implementation: a trunk, global average pooling and a linear classifier. */
export class TrunkBackbone extends ParamSetModule implements Backbone {
  readonly name: string;
  readonly family: BackboneFamily;
  readonly featureDim: number;
  readonly numClasses: number;
  readonly inputShape: readonly [number, number, number];
  readonly classifier: Linear;
  readonly #config: TrunkBackboneConfig;
  readonly #trunk: Trunk;

  constructor(config: TrunkBackboneConfig, source: MaterializeSource, trainable: boolean) {
    const { params, trunk, classifier } = declareTrunkBackbone(config);
    params.materialize(source, trainable);
    super(params, `backbone ${config.name} (${config.numClasses} classes, ${config.inputShape[2]} input channels)`);
    this.#config = config;
    this.#trunk = trunk;
    this.name = config.name;
    this.family = config.family;
    this.featureDim = trunk.featureDim;
    this.numClasses = config.numClasses;
    this.inputShape = config.inputShape;
    this.classifier = classifier;
  }

  featureMap(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D {
    this.#checkInput(x);
    return this.#trunk.featureMap(x, options.training);
  }

  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => globalAvgPool(this.featureMap(x, options)));
  }

  head(features: tf.Tensor2D): tf.Tensor2D {
    return this.classifier.apply(features);
  }

  forward(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => this.head(this.features(x, options)));
  }

  clone(options: { trainable?: boolean } = {}): Backbone {
    const trainable = options.trainable ?? this.trainableVariables.length > 0;
    return new TrunkBackbone(this.#config, { copyOf: this.params }, trainable);
  }

  #checkInput(x: tf.Tensor): void {
    const channels = this.inputShape[2];
    if (x.rank !== 4 || x.shape[3] !== channels) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `${this.name} takes NHWC images with ${channels} channels, got shape [${x.shape.join(', ')}].`,
        { fix: 'Pass a [batch, height, width, channels] tensor matching inputShape.' },
      );
    }
  }
}
