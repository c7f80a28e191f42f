import type * as tf from '@tensorflow/tfjs-core';

export type NamedParameter = readonly [name: string, variable: tf.Variable];

/** An optimizer's buffers by name, as a checkpoint stores them (under `<stateName>/`). */
export type OptimizerState = Record<string, { shape: number[]; values: Float32Array }>;

/**
 * What the training loop needs of an optimizer: one update from named gradients at a learning
 * rate, and its state for checkpoints (read asynchronously: a GPU backend cannot read
 * synchronously). SGD (classification) and AdamW (segmentation) implement it.
 */
export interface Optimizer {
  /** The prefix of its state tensors in a checkpoint: `sgd`, `adamw`. */
  readonly stateName: string;
  /** One step over named parameters and their gradients (gradients are not disposed here). */
  step(params: ReadonlyArray<NamedParameter>, grads: Readonly<Record<string, tf.Tensor>>, lr: number): void;
  exportState(): Promise<OptimizerState>;
  loadState(state: OptimizerState): void;
  dispose(): void;
}
