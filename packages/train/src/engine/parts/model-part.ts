import type { Backbone, WeightMap } from '@ltlab/backbones';
import type { ClassificationRunConfig } from '@ltlab/config';
import type { RegistryEntry } from '@ltlab/core';
import type { LossDefinition, LossRequirements } from '@ltlab/losses';
import type * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter } from '../optimizer.js';
import type { Inference } from './inference.js';

/** What one training step feeds the model: the views of a batch and its labels. */
export interface StepBatch {
  views: tf.Tensor4D[];
  labels: tf.Tensor1D;
}

/** What a run needs of the model: the first stage's loss (which sizes the network) and the config. */
export interface PartSelection {
  readonly requires: LossRequirements;
  readonly config: ClassificationRunConfig;
}

/** What building a part may use: the run, the shared backbone and the parts built before it. */
export interface PartBuildContext extends PartSelection {
  readonly loss: LossDefinition;
  readonly numClasses: number;
  /** Training images per class (after the long-tail subset and relabelling). */
  readonly classCounts: Int32Array;
  readonly backbone: Backbone;
  /** The built instance of an earlier part of the registry (INTERNAL when it was not built). */
  built<P extends PartInstance>(part: ModelPart<P>): P;
}

/** One training step as a part sees it, outside the gradient. */
export interface StepContext {
  readonly batch: StepBatch;
  /** What the loss of this step's stage requires (a later stage may need less than the first). */
  readonly requires: LossRequirements;
  /** The method of this step's stage (its own `drw`, say). */
  readonly method: ClassificationRunConfig['method'];
  /** The epoch index inside the stage, from 0 (schedules count from the stage's start). */
  readonly stageEpoch: number;
  /** Train-mode forwards (false on a frozen trunk: BN uses its running statistics). */
  readonly training: boolean;
  /**
   * Data-parallel devices the step emulates (run config `replicas.count`; absent: 1): every
   * train-mode BN of the step, the key encoder's included, normalises each of this many chunks of
   * the batch separately (`withBatchNormReplicas`, docs/methods.md §8.8).
   */
  readonly replicas?: number;
}

/** Inside the gradient: the trunk's pooled features of a view, computed once per step. */
export interface StepForward {
  readonly training: boolean;
  features(view: number): tf.Tensor2D;
}

/** Loss inputs by name, as the parts build them up inside the gradient. */
export type StepInputs = Record<string, tf.Tensor | null>;

/** A part's share of one step, prepared outside the gradient (momentum keys, queue snapshot). */
export interface PartStep {
  /** Inside the gradient: adds or rewrites loss inputs (`features`, `logitsH`, `classWeights`). */
  inputs(forward: StepForward, inputs: StepInputs): void;
  /** After the optimizer step (the keys join the queue); releases what the step held. */
  finish?(): void;
}

/** Checkpoint state kept beside the tensors. */
export interface PartCheckpointState {
  queuePointer: number;
}

/** The checkpoint state of a run without the parts that keep one (no queue: pointer 0). */
export const NO_PART_STATE: Readonly<PartCheckpointState> = Object.freeze({ queuePointer: 0 });

/** A built part of the run's network or of its loss inputs. */
export interface PartInstance {
  /** Trainable parameters by checkpoint name (`mlp/...`); none for frozen or weightless parts. */
  parameters(): NamedParameter[];
  /** This step's share, or null when this stage's loss does not need the part. */
  startStep?(step: StepContext): PartStep | null;
  /** How the part changes inference settings (tau-norm: normalised classifier weights). */
  inference?(inference: Inference): Inference;
  /** The part's prediction rule, when it replaces the classifier's (fused branches). */
  predict?(x: tf.Tensor4D, inference: Inference): tf.Tensor2D;
  /** Its tensors by checkpoint name (`branches/BNH.weight`), read asynchronously. */
  exportWeights?(): Promise<WeightMap>;
  /** Loads its tensors from a checkpoint's map; each module checks names and shapes before it writes. */
  loadWeights?(weights: WeightMap, state: PartCheckpointState): void;
  /** State a checkpoint keeps beside the tensors (the queue's pointer). */
  checkpointState?(): Partial<PartCheckpointState>;
  dispose(): void;
}

/**
 * One requirement of a method as a part of the training model (docs/architecture.md §5.5;
 * packages/train/README.md): which run needs it, how it is built, what it adds to each step's loss inputs, how it
 * changes prediction, and its checkpoint tensors. `schema` is the config section it reads.
 */
export interface ModelPart<P extends PartInstance = PartInstance> extends RegistryEntry {
  /** Whether the run needs this part (a predicate on the loss's `requires` and the config). */
  selects(run: PartSelection): boolean;
  build(context: PartBuildContext): P;
}

/** `map` with every name under `prefix/` (how a checkpoint names a part's tensors). */
export function withPrefix(prefix: string, map: WeightMap): WeightMap {
  return Object.fromEntries(Object.entries(map).map(([name, entry]) => [`${prefix}/${name}`, entry]));
}

/** The tensors of `weights` under `prefix/`, with the prefix taken off. */
export function underPrefix(prefix: string, weights: WeightMap): WeightMap {
  return Object.fromEntries(
    Object.entries(weights)
      .filter(([name]) => name.startsWith(`${prefix}/`))
      .map(([name, entry]) => [name.slice(prefix.length + 1), entry]),
  );
}
