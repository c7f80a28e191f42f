import {
  type Backbone,
  createBackbone,
  FeatureQueue,
  MomentumEncoder,
  ProjectionMlp,
  ResltHead,
  tauNormalizedLogits,
  type WeightMap,
} from '@ltlab/backbones';
import type { ClassificationRunConfig as RunConfig } from '@ltlab/config';
import { deriveSeed, LtlabError, parseOrThrow } from '@ltlab/core';
import type { LossDefinition, LossInputs, LossRequirements } from '@ltlab/losses';
import { stopGradient } from '@ltlab/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedParameter } from './optimizer.js';

export type { NamedParameter } from './optimizer.js';

/** What one training step feeds the model: the views of a batch and its labels. */
export interface StepBatch {
  views: tf.Tensor4D[];
  labels: tf.Tensor1D;
}

/** Tensors prepared outside the gradient: momentum keys and the queue as it was before the step. */
interface StepExtras {
  keys: tf.Tensor2D | null;
  queue: { features: tf.Tensor2D; labels: tf.Tensor1D } | null;
  classCounts: tf.Tensor1D;
  classWeights: tf.Tensor1D | null;
}

/**
 * The network of a run, assembled from what the loss `requires` (never from its name): a
 * backbone; a projection MLP when the loss reads embeddings; ResLT branches when it reads branch
 * logits; a momentum key encoder and a queue when it reads a queue of keys.
 */
export class TrainingModel {
  readonly backbone: Backbone;
  readonly mlp: ProjectionMlp | null;
  readonly branches: ResltHead | null;
  readonly keyEncoder: MomentumEncoder | null;
  readonly queue: FeatureQueue | null;
  readonly #tauNormGamma: number | undefined;
  readonly #fusedBranches: 2 | 3;
  readonly #backboneOptions: RunConfig['backbone']['options'];

  private constructor(parts: {
    backbone: Backbone;
    backboneOptions: RunConfig['backbone']['options'];
    mlp: ProjectionMlp | null;
    branches: ResltHead | null;
    keyEncoder: MomentumEncoder | null;
    queue: FeatureQueue | null;
    tauNormGamma: number | undefined;
    fusedBranches: 2 | 3;
  }) {
    this.backbone = parts.backbone;
    this.#backboneOptions = parts.backboneOptions;
    this.mlp = parts.mlp;
    this.branches = parts.branches;
    this.keyEncoder = parts.keyEncoder;
    this.queue = parts.queue;
    this.#tauNormGamma = parts.tauNormGamma;
    this.#fusedBranches = parts.fusedBranches;
  }

  static build(options: {
    config: RunConfig;
    loss: LossDefinition;
    numClasses: number;
    imageShape: readonly [number, number, number];
  }): TrainingModel {
    const { config, loss, numClasses } = options;
    const requires = loss.requires;
    const seed = config.seed;
    unsupported(loss, requires);
    const backbone = createBackbone(config.backbone.name, {
      ...config.backbone.options,
      numClasses,
      inputShape: [...options.imageShape],
      seed: deriveSeed(seed, 'backbone'),
    });
    const mlp =
      requires.features === 'none'
        ? null
        : ProjectionMlp.create({
            inDim: backbone.featureDim,
            outDim: config.method.projection.dim,
            ...(config.method.projection.hiddenDim === undefined
              ? {}
              : { hiddenDim: config.method.projection.hiddenDim }),
            lastLayerInit: backbone.family === 'cifar' ? 'kaimingNormalFanIn' : 'pytorchDefault',
            seed: deriveSeed(seed, 'mlp'),
          });
    const branches = requires.branchLogits
      ? ResltHead.create(backbone, { ...config.method.head, seed: deriveSeed(seed, 'branches') })
      : null;
    let keyEncoder: MomentumEncoder | null = null;
    let queue: FeatureQueue | null = null;
    if (requires.momentumQueue) {
      const momentum = config.method.momentumEncoder;
      if (momentum === undefined || mlp === null) {
        throw new LtlabError(
          'CONFIG.INVALID',
          `Loss '${loss.name}' needs method.momentumEncoder (momentum, queueSize).`,
          {
            fix: 'Add method.momentumEncoder: { momentum: 0.999, queueSize: 1024 } to the run config.',
          },
        );
      }
      keyEncoder = MomentumEncoder.create({ backbone, mlp }, { momentum: momentum.momentum });
      queue = FeatureQueue.create({
        size: momentum.queueSize,
        dim: config.method.projection.dim,
        numClasses,
        seed: deriveSeed(seed, 'queue'),
        init: momentum.queueInit,
      });
    }
    // A loss with a `branches` option (ResLT) says how many branch logits the prediction fuses.
    const lossOptions = parseOrThrow(loss.schema, config.method.options, `method.options of loss '${loss.name}'`) as {
      branches?: unknown;
    };
    const fusedBranches = lossOptions.branches === 2 ? 2 : 3;
    return new TrainingModel({
      backbone,
      backboneOptions: config.backbone.options,
      mlp,
      branches,
      keyEncoder,
      queue,
      tauNormGamma: config.method.tauNorm?.gamma,
      fusedBranches,
    });
  }

  /** Parameters the optimizer updates; a frozen backbone leaves only the classifier (`fc`). */
  trainableParameters(freezeBackbone: boolean): NamedParameter[] {
    const out: NamedParameter[] = [];
    for (const [name, variable] of this.backbone.namedParameters()) {
      if (!freezeBackbone || name.startsWith('fc.')) out.push([`backbone/${name}`, variable]);
    }
    if (!freezeBackbone) {
      for (const [name, variable] of this.mlp?.namedParameters() ?? []) out.push([`mlp/${name}`, variable]);
      for (const [name, variable] of this.branches?.namedParameters() ?? []) out.push([`branches/${name}`, variable]);
    }
    return out;
  }

  /** Before the gradient: momentum-update the key encoder, encode the keys, snapshot the queue. */
  prepareStep(
    batch: StepBatch,
    requires: LossRequirements,
    classCounts: tf.Tensor1D,
    classWeights: tf.Tensor1D | null,
  ): StepExtras {
    let keys: tf.Tensor2D | null = null;
    if (requires.momentumQueue && this.keyEncoder !== null && this.mlp !== null) {
      const keyView = batch.views[1];
      if (keyView === undefined)
        throw new LtlabError(
          'CONFIG.INVALID',
          'A momentum queue needs two views: set data.transforms.train to { views: [query, key] }.',
        );
      this.keyEncoder.update({ backbone: this.backbone, mlp: this.mlp });
      keys = this.keyEncoder.encode(keyView, { training: true });
    }
    return { keys, queue: keys === null ? null : (this.queue?.snapshot() ?? null), classCounts, classWeights };
  }

  /** The loss inputs of one step, keyed as the loss declares them; runs inside the gradient. */
  lossInputs(batch: StepBatch, extras: StepExtras, requires: LossRequirements, training: boolean): LossInputs {
    const inputs: Record<string, tf.Tensor | null> = {};
    const query = batch.views[0] as tf.Tensor4D;
    let labels: tf.Tensor = batch.labels;
    if (requires.branchLogits && this.branches !== null) {
      Object.assign(inputs, this.branches.forward(query, { training }));
    }
    const needsTrunk = requires.logits || requires.features !== 'none';
    const features = needsTrunk ? this.backbone.features(query, { training }) : null;
    if (requires.logits && features !== null) inputs.logits = this.backbone.head(features);
    if (requires.features !== 'none' && features !== null && this.mlp !== null) {
      const embed = (f: tf.Tensor2D) =>
        (requires.features === 'normalized'
          ? this.mlp?.embed(f, { training })
          : this.mlp?.apply(f, { training })) as tf.Tensor2D;
      const q = embed(features);
      if (requires.featureLayout === 'query-key-queue') {
        if (extras.keys === null || extras.queue === null)
          throw new LtlabError('INTERNAL', 'prepareStep did not build the keys.');
        inputs.features = tf.concat([q, stopGradient(extras.keys), extras.queue.features], 0);
        labels = tf.concat([batch.labels, batch.labels, extras.queue.labels], 0);
      } else {
        const others = batch.views.slice(1).map((view) => embed(this.backbone.features(view, { training })));
        inputs.features = tf.stack([q, ...others], 1);
      }
    }
    if (requires.labels !== 'no') inputs.labels = labels;
    if (requires.classCounts !== 'no') inputs.classCounts = extras.classCounts;
    if (requires.classWeights !== 'no' && extras.classWeights !== null) inputs.classWeights = extras.classWeights;
    return inputs;
  }

  /** After the step: the keys join the queue. */
  finishStep(batch: StepBatch, extras: StepExtras): void {
    if (this.queue !== null && extras.keys !== null) this.queue.enqueue(extras.keys, batch.labels);
    extras.keys?.dispose();
    extras.queue?.features.dispose();
    extras.queue?.labels.dispose();
  }

  /** Class scores for evaluation: fused branches or the classifier, tau-normalised if configured. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const gamma = this.#tauNormGamma;
      if (this.branches !== null) {
        const { logitsH, logitsM, logitsT } = this.branches.forward(x, {
          training: false,
          ...(gamma === undefined ? {} : { tauNormGamma: gamma }),
        });
        // Two-branch ResLT (iNat) fuses H and M only.
        return this.#fusedBranches === 3 ? tf.addN([logitsH, logitsM, logitsT]) : tf.add(logitsH, logitsM);
      }
      const features = this.backbone.features(x, { training: false });
      if (gamma === undefined) return this.backbone.head(features);
      return tauNormalizedLogits(features, this.backbone.classifier.weight.value as tf.Tensor2D, gamma);
    });
  }

  /** Every tensor of the run's network by prefixed name (what a checkpoint stores), read asynchronously. */
  async exportWeights(): Promise<WeightMap> {
    const [backbone, mlp, branches, key, queue] = await Promise.all([
      this.backbone.exportWeights(),
      this.mlp?.exportWeights(),
      this.branches?.exportWeights(),
      this.keyEncoder?.exportWeights(),
      this.queue?.exportState(),
    ]);
    const out: WeightMap = {};
    const add = (prefix: string, map: WeightMap | undefined) => {
      for (const [name, entry] of Object.entries(map ?? {})) out[`${prefix}/${name}`] = entry;
    };
    add('backbone', backbone);
    add('mlp', mlp);
    add('branches', branches);
    add('key', key);
    if (queue !== undefined) {
      out['queue/features'] = queue.features;
      out['queue/labels'] = queue.labels;
    }
    return out;
  }

  loadWeights(weights: WeightMap, queuePointer: number): void {
    const part = (prefix: string): WeightMap =>
      Object.fromEntries(
        Object.entries(weights)
          .filter(([name]) => name.startsWith(`${prefix}/`))
          .map(([name, entry]) => [name.slice(prefix.length + 1), entry]),
      );
    this.backbone.loadWeights(part('backbone'));
    this.mlp?.loadWeights(part('mlp'));
    this.branches?.loadWeights(part('branches'));
    this.keyEncoder?.loadWeights(part('key'));
    if (this.queue !== null) {
      const features = weights['queue/features'];
      const labels = weights['queue/labels'];
      if (features === undefined || labels === undefined)
        throw new LtlabError('CHECKPOINT.CORRUPT', 'The checkpoint has no momentum queue.');
      this.queue.loadState({ features, labels, pointer: queuePointer });
    }
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
    this.keyEncoder?.dispose();
    this.queue?.dispose();
    this.branches?.dispose();
    this.mlp?.dispose();
    this.backbone.dispose();
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
