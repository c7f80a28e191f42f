import { type Backbone, createBackbone, type WeightMap, withBatchNormReplicas } from '@ltlab/backbones';
import type { ClassificationRunConfig as RunConfig } from '@ltlab/config';
import { deriveSeed, LtlabError } from '@ltlab/core';
import type { LossDefinition, LossInputs, LossRequirements } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter } from './optimizer.js';
import { classifierScores, type Inference } from './parts/inference.js';
import {
  type ModelPart,
  NO_PART_STATE,
  type PartCheckpointState,
  type PartInstance,
  type PartStep,
  type StepContext,
  type StepInputs,
  underPrefix,
  withPrefix,
} from './parts/model-part.js';
import { modelPartRegistry } from './parts/part-registry.js';

export type { NamedParameter } from './optimizer.js';
export type { StepBatch, StepContext } from './parts/model-part.js';

/** One step prepared outside the gradient: its loss inputs (inside the gradient) and its end. */
export interface PreparedStep {
  /** The loss inputs, keyed as the loss declares them; call inside the gradient. */
  lossInputs(): LossInputs;
  /** After the optimizer step: the parts finish their step and release what they held. */
  finish(): void;
}

interface BuiltPart {
  readonly name: string;
  readonly instance: PartInstance;
}

/**
 * The network of a run: a backbone and the parts of the model-part registry the run selects
 * (parts/part-registry.ts; chosen by the loss's `requires` and the config, never by a name). The
 * backbone gives `logits`, `labels` and `classCounts`; the parts add their loss inputs, prediction
 * rules and checkpoint tensors, in registry order.
 */
export class TrainingModel {
  readonly backbone: Backbone;
  readonly #parts: readonly BuiltPart[];
  readonly #classCounts: tf.Tensor1D;
  readonly #backboneOptions: RunConfig['backbone']['options'];

  private constructor(backbone: Backbone, parts: readonly BuiltPart[], classCounts: Int32Array, options: RunConfig) {
    this.backbone = backbone;
    this.#parts = parts;
    this.#classCounts = tf.tensor1d(classCounts, 'int32');
    this.#backboneOptions = options.backbone.options;
  }

  static build(options: {
    config: RunConfig;
    loss: LossDefinition;
    numClasses: number;
    classCounts: Int32Array;
    imageShape: readonly [number, number, number];
  }): TrainingModel {
    const { config, loss, numClasses } = options;
    unsupported(loss, loss.requires);
    const backbone = createBackbone(config.backbone.name, {
      ...config.backbone.options,
      numClasses,
      inputShape: [...options.imageShape],
      seed: deriveSeed(config.seed, 'backbone'),
    });
    const built: BuiltPart[] = [];
    try {
      const context = {
        config,
        loss,
        requires: loss.requires,
        numClasses,
        classCounts: options.classCounts,
        backbone,
        built: <P extends PartInstance>(part: ModelPart<P>): P => {
          const found = built.find((entry) => entry.name === part.name);
          if (found === undefined) {
            throw new LtlabError('INTERNAL', `Model part '${part.name}' is used before it is built.`);
          }
          return found.instance as P;
        },
      };
      for (const part of modelPartRegistry.list()) {
        if (part.selects(context)) built.push({ name: part.name, instance: part.build(context) });
      }
      if (built.filter((entry) => entry.instance.predict !== undefined).length > 1) {
        throw new LtlabError('INTERNAL', `Model parts ${built.map((e) => e.name).join(', ')} each replace prediction.`);
      }
    } catch (error) {
      for (const entry of built.reverse()) entry.instance.dispose();
      backbone.dispose();
      throw error;
    }
    return new TrainingModel(backbone, built, options.classCounts, config);
  }

  /** The names of the parts this run's model has, in registry order. */
  get partNames(): string[] {
    return this.#parts.map((part) => part.name);
  }

  /** Parameters the optimizer updates; a frozen backbone leaves only the classifier (`fc`). */
  trainableParameters(freezeBackbone: boolean): NamedParameter[] {
    const out: NamedParameter[] = [];
    for (const [name, variable] of this.backbone.namedParameters()) {
      if (!freezeBackbone || name.startsWith('fc.')) out.push([`backbone/${name}`, variable]);
    }
    if (!freezeBackbone) for (const { instance } of this.#parts) out.push(...instance.parameters());
    return out;
  }

  /**
   * Before the gradient: each part the step's loss needs prepares its share. Every forward of
   * the step, here and in `lossInputs`, runs with the step's per-replica batch norm.
   */
  prepareStep(step: StepContext): PreparedStep {
    const replicas = step.replicas ?? 1;
    const shares = withBatchNormReplicas(replicas, () => {
      const started: PartStep[] = [];
      for (const { instance } of this.#parts) {
        const share = instance.startStep?.(step) ?? null;
        if (share !== null) started.push(share);
      }
      return started;
    });
    return {
      lossInputs: () => withBatchNormReplicas(replicas, () => this.#lossInputs(step, shares)),
      finish: () => {
        for (const share of shares) share.finish?.();
      },
    };
  }

  #lossInputs(step: StepContext, shares: readonly PartStep[]): LossInputs {
    const { batch, requires, training } = step;
    const trunk = new Map<number, tf.Tensor2D>();
    const forward = {
      training,
      features: (view: number): tf.Tensor2D => {
        let features = trunk.get(view);
        if (features === undefined) {
          const x = batch.views[view];
          if (x === undefined) throw new LtlabError('INTERNAL', `The batch has no view ${view}.`);
          features = this.backbone.features(x, { training });
          trunk.set(view, features);
        }
        return features;
      },
    };
    const inputs: StepInputs = {};
    if (requires.logits) inputs.logits = this.backbone.head(forward.features(0));
    if (requires.labels !== 'no') inputs.labels = batch.labels;
    if (requires.classCounts !== 'no') inputs.classCounts = this.#classCounts;
    for (const share of shares) share.inputs(forward, inputs);
    return inputs;
  }

  /** Class scores for evaluation, by the parts' prediction rule (else the classifier's) and inference settings. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let inference: Inference = {};
      for (const { instance } of this.#parts) inference = instance.inference?.(inference) ?? inference;
      const rule = this.#parts.find(({ instance }) => instance.predict !== undefined)?.instance;
      return rule?.predict?.(x, inference) ?? classifierScores(this.backbone, x, inference);
    });
  }

  /** Every tensor of the run's network by prefixed name (what a checkpoint stores), read asynchronously. */
  async exportWeights(): Promise<WeightMap> {
    const maps = await Promise.all([
      this.backbone.exportWeights().then((map) => withPrefix('backbone', map)),
      ...this.#parts.map(({ instance }) => instance.exportWeights?.() ?? Promise.resolve({})),
    ]);
    return Object.assign({}, ...maps);
  }

  loadWeights(weights: WeightMap, state: PartCheckpointState): void {
    this.backbone.loadWeights(underPrefix('backbone', weights));
    for (const { instance } of this.#parts) instance.loadWeights?.(weights, state);
  }

  /** State a checkpoint keeps beside the tensors, with the defaults of parts this run lacks. */
  checkpointState(): PartCheckpointState {
    const state: PartCheckpointState = { ...NO_PART_STATE };
    for (const { instance } of this.#parts) Object.assign(state, instance.checkpointState?.());
    return state;
  }

  /** Re-initialises the classifier (`fc`) from a fresh draw, for classifier re-training. */
  reinitClassifier(seed: number): void {
    const fresh = createBackbone(this.backbone.name, {
      ...this.#backboneOptions,
      numClasses: this.backbone.numClasses,
      inputShape: [...this.backbone.inputShape],
      seed,
    });
    try {
      this.backbone.classifier.weight.value.assign(fresh.classifier.weight.value);
      if (fresh.classifier.bias !== null) this.backbone.classifier.bias?.value.assign(fresh.classifier.bias.value);
    } finally {
      fresh.dispose();
    }
  }

  dispose(): void {
    for (const { instance } of [...this.#parts].reverse()) instance.dispose();
    this.backbone.dispose();
    this.#classCounts.dispose();
  }
}

function unsupported(loss: LossDefinition, requires: LossRequirements): void {
  if (requires.regionProjection || requires.featureLayout === 'pixels') {
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `Loss '${loss.name}' works on per-pixel features of a segmentation model, not in a classification run.`,
      {
        fix: 'Train it as a segmentation run (task: segmentation, loss.regionRebalance; docs/segmentation.md "Training"), or pick a classification loss.',
      },
    );
  }
}
