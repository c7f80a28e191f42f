import type * as tf from '@tensorflow/tfjs-core';
import type { NamedVariable } from './param-set.js';
import type { WeightMap } from './weight-map.js';

export interface ForwardOptions {
  /** Train mode: BN uses batch statistics and updates its running statistics. */
  training: boolean;
}

/**
 * What every piece with tensors offers (backbones, projection MLP, ResLT branches): named
 * parameters and buffers, checkpoint export/import and disposal. The momentum encoder and the
 * checkpoint code work on this, never on a concrete model.
 */
export interface ParamModule {
  /** Learned tensors, in declaration order (the MoCo EMA runs over these). */
  namedParameters(): NamedVariable[];
  /** State tensors such as BN running mean and variance (saved, never EMA-updated). */
  namedBuffers(): NamedVariable[];
  /** Scalars in the parameters (torch's `sum(p.numel() for p in parameters())`). */
  parameterCount(): number;
  /** Every tensor by name, running statistics included; asynchronous, as a GPU backend reads. */
  exportWeights(): Promise<WeightMap>;
  /** Replaces every tensor; throws CONFIG.INVALID on other names/shapes, CHECKPOINT.CORRUPT on damaged values. */
  loadWeights(weights: WeightMap): void;
  dispose(): void;
}

/** Variables that optimizers may update (TF.js `trainable`) and those they may not. */
export interface VariableLists {
  readonly trainableVariables: tf.Variable[];
  readonly nonTrainableVariables: tf.Variable[];
}
