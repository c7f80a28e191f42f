/**
 * PaCo's projection head (Cui et al., "Parametric Contrastive Learning", ICCV 2021; the MoCo v2
 * MLP of Chen et al. 2020): `Linear(D, D) -> BatchNorm1d(D) -> ReLU -> Linear(D, d)`, applied to
 * the pooled feature; the contrastive embedding is its L2-normalised output (docs/methods.md §8.2).
 * Tensor names follow the original `fc` Sequential: `mlp.0` (linear), `mlp.1` (BN), `mlp.3` (linear).
 */
import { parseOrThrow, type Seed } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type BatchNorm, createBatchNorm } from './batch-norm.js';
import { l2Normalize } from './l2-normalize.js';
import { createLinear, type Linear, type LinearInit } from './linear.js';
import type { ForwardOptions } from './module.js';
import { type MaterializeSource, ParamSet } from './param-set.js';
import { ParamSetModule } from './param-set-module.js';

export const projectionMlpOptionsSchema = z.object({
  inDim: z.number().int().positive(),
  /** @defaultValue inDim */
  hiddenDim: z.number().int().positive().optional(),
  /** Embedding width d (PaCo: 128; CIFAR: 32). */
  outDim: z.number().int().positive(),
  seed: z.union([z.number().int().nonnegative(), z.string()]).default(0),
  /**
   * Init of the last linear layer. In PaCo it is the backbone's original `fc`: nn.Linear's default
   * on torchvision models, Kaiming-normal fan_in on the CIFAR ResNet. The first layer always
   * takes nn.Linear's default.
   */
  lastLayerInit: z.enum(['pytorchDefault', 'kaimingNormalFanIn']).default('pytorchDefault'),
  trainable: z.boolean().default(true),
});

export type ProjectionMlpOptions = z.input<typeof projectionMlpOptionsSchema>;

interface MlpLayers {
  first: Linear;
  bn: BatchNorm;
  last: Linear;
}

function declareMlp(
  params: ParamSet,
  inDim: number,
  hiddenDim: number,
  outDim: number,
  lastInit: LinearInit,
): MlpLayers {
  return {
    first: createLinear(params, 'mlp.0', inDim, hiddenDim, 'pytorchDefault'),
    bn: createBatchNorm(params, 'mlp.1', hiddenDim),
    last: createLinear(params, 'mlp.3', hiddenDim, outDim, lastInit),
  };
}

export class ProjectionMlp extends ParamSetModule {
  readonly inDim: number;
  readonly hiddenDim: number;
  readonly outDim: number;
  readonly #layers: MlpLayers;
  readonly #lastInit: LinearInit;

  private constructor(
    inDim: number,
    hiddenDim: number,
    outDim: number,
    lastInit: LinearInit,
    source: MaterializeSource,
    trainable: boolean,
  ) {
    const params = new ParamSet();
    const layers = declareMlp(params, inDim, hiddenDim, outDim, lastInit);
    params.materialize(source, trainable);
    super(params, `projection MLP ${inDim}-${hiddenDim}-${outDim}`);
    this.inDim = inDim;
    this.hiddenDim = hiddenDim;
    this.outDim = outDim;
    this.#layers = layers;
    this.#lastInit = lastInit;
  }

  static create(options: ProjectionMlpOptions): ProjectionMlp {
    const parsed = parseOrThrow(projectionMlpOptionsSchema, options, 'projection MLP options');
    const seed: Seed = parsed.seed;
    return new ProjectionMlp(
      parsed.inDim,
      parsed.hiddenDim ?? parsed.inDim,
      parsed.outDim,
      parsed.lastLayerInit,
      { seed },
      parsed.trainable,
    );
  }

  /** The un-normalised projection z, `[B, outDim]`. */
  apply(features: tf.Tensor2D, options: ForwardOptions): tf.Tensor2D {
    const { first, bn, last } = this.#layers;
    return tf.tidy(() => last.apply(tf.relu(bn.apply(first.apply(features), options.training))));
  }

  /** The contrastive embedding `normalize(z)`. */
  embed(features: tf.Tensor2D, options: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.apply(features, options)));
  }

  /** A copy with the current values; `trainable: false` for the momentum (key) encoder. */
  clone(options: { trainable?: boolean } = {}): ProjectionMlp {
    const trainable = options.trainable ?? this.trainableVariables.length > 0;
    return new ProjectionMlp(
      this.inDim,
      this.hiddenDim,
      this.outDim,
      this.#lastInit,
      { copyOf: this.params },
      trainable,
    );
  }
}
