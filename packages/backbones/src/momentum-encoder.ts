/**
 * The MoCo key encoder as PaCo uses it (He et al., "Momentum Contrast", CVPR 2020, eq. 2;
 * docs/methods.md §8.3 step 3): a frozen copy of backbone + projection MLP whose **parameters** follow
 * the query's by `theta_k <- m * theta_k + (1 - m) * theta_q` (m = 0.999). BN running statistics
 * are not averaged; the key encoder's own train-mode forwards update them. The copy includes the
 * backbone's classifier, which is averaged too and never used, like PaCo's `linear_k`.
 */
import { LtlabError, parseOrThrow } from '@ltlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Backbone } from './backbone.js';
import type { NamedVariable } from './param-set.js';
import type { ProjectionMlp } from './projection-mlp.js';
import type { WeightMap } from './weight-map.js';

export const momentumEncoderOptionsSchema = z.object({
  momentum: z.number().min(0).max(1).default(0.999),
});

export type MomentumEncoderOptions = z.input<typeof momentumEncoderOptionsSchema>;

/** The query side the key encoder mirrors. */
export interface QueryEncoder {
  backbone: Backbone;
  mlp: ProjectionMlp;
}

export class MomentumEncoder {
  readonly backbone: Backbone;
  readonly mlp: ProjectionMlp;
  readonly momentum: number;

  private constructor(backbone: Backbone, mlp: ProjectionMlp, momentum: number) {
    this.backbone = backbone;
    this.mlp = mlp;
    this.momentum = momentum;
  }

  /** A frozen copy of the query encoder's current values (PaCo starts both encoders equal). */
  static create(query: QueryEncoder, options: MomentumEncoderOptions = {}): MomentumEncoder {
    const { momentum } = parseOrThrow(momentumEncoderOptionsSchema, options, 'momentum encoder options');
    return new MomentumEncoder(
      query.backbone.clone({ trainable: false }),
      query.mlp.clone({ trainable: false }),
      momentum,
    );
  }

  /** One EMA step of every parameter from the query encoder (call before the step's key forward). */
  update(query: QueryEncoder): void {
    const m = this.momentum;
    const pairs = [
      ...pairByName(this.backbone.namedParameters(), query.backbone.namedParameters()),
      ...pairByName(this.mlp.namedParameters(), query.mlp.namedParameters()),
    ];
    tf.tidy(() => {
      for (const [key, queryValue] of pairs) key.assign(tf.add(tf.mul(key, m), tf.mul(queryValue, 1 - m)));
    });
  }

  /**
   * Keys `normalize(MLP_k(pool(f_k(x))))`, `[B, d]`. Train mode by default, as in PaCo (BN uses
   * batch statistics and updates the key encoder's running statistics). Call it outside the
   * gradient function: nothing here is trained.
   */
  encode(x: tf.Tensor4D, options: { training?: boolean } = {}): tf.Tensor2D {
    const training = options.training ?? true;
    return tf.tidy(() => this.mlp.embed(this.backbone.features(x, { training }), { training }));
  }

  /** Backbone and MLP tensors in one map (names are disjoint: the MLP's start with `mlp.`). */
  async exportWeights(): Promise<WeightMap> {
    const [backbone, mlp] = await Promise.all([this.backbone.exportWeights(), this.mlp.exportWeights()]);
    return { ...backbone, ...mlp };
  }

  loadWeights(weights: WeightMap): void {
    const backbonePart: WeightMap = {};
    const mlpPart: WeightMap = {};
    for (const [name, entry] of Object.entries(weights)) {
      if (name.startsWith('mlp.')) mlpPart[name] = entry;
      else backbonePart[name] = entry;
    }
    this.backbone.loadWeights(backbonePart);
    this.mlp.loadWeights(mlpPart);
  }

  dispose(): void {
    this.backbone.dispose();
    this.mlp.dispose();
  }
}

function pairByName(keys: NamedVariable[], queries: NamedVariable[]): Array<[tf.Variable, tf.Variable]> {
  const byName = new Map(queries);
  if (byName.size !== keys.length) {
    throw new LtlabError('CONFIG.INVALID', 'The key and query encoders have different parameters.', {
      fix: 'Update the momentum encoder from the query encoder it was created from.',
    });
  }
  return keys.map(([name, key]) => {
    const query = byName.get(name);
    if (query === undefined || query.shape.join() !== key.shape.join()) {
      throw new LtlabError(
        'CONFIG.INVALID',
        `The query encoder has no parameter ${name} of shape [${key.shape.join(', ')}].`,
        {
          fix: 'Update the momentum encoder from the query encoder it was created from.',
        },
      );
    }
    return [key, query];
  });
}
