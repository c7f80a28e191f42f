import { canonicalHash, canonicalJson, LtlabError, parseOrThrow } from '@ltlab/core';
import {
  compileViews,
  longTailOptionsSchema,
  pipelineSpecSchema,
  transformRegistry,
  transformSpecSchema,
} from '@ltlab/datasets';
import { samplerRegistry, samplerSpecSchema } from '@ltlab/samplers';
import { z } from 'zod';
import { checkComponent } from './check-component.js';
import { parseBackboneComponent } from './components/backbone-component.js';
import { parseMethodComponents } from './components/method-components.js';
import { parseNamedComponent } from './components/named-component.js';
import { parsePipelineComponents } from './components/pipeline-components.js';
import { scheduleSchema } from './schedule.js';
import { type SegmentationRunConfig, segmentationRunConfigSchema } from './segmentation-run-config.js';

/**
 * The run config (docs/architecture.md §5.1): everything that determines a run, as data. It is validated
 * here without TensorFlow.js, so the control plane can reject a bad sweep before it reaches
 * the queue. `task` picks the kind of run: absent (or `classification`) the image classification
 * config below, `segmentation` the semantic segmentation config (segmentation-run-config.ts).
 *
 * Every object of the config's own structure is strict: an unknown key (`optimiser:`, a typo in
 * `checkpoint`) is an error naming its path and the nearest known key, never silently dropped.
 * Component names and options (`method.loss` / `method.options`, `method.head`, `backbone`, the
 * sampler, transform steps) are parsed by the components' own TF-free schema entries
 * (docs/architecture.md §5.8): a bad one is an issue at its path, and the parsed config carries
 * the options with their defaults filled, so the canonical JSON and the fingerprint are of the
 * filled config. Their structure stays an open record for sweep paths (`method.options.alpha`).
 */
const options = z.record(z.string(), z.unknown()).default({});

type PipelineSteps = z.output<typeof pipelineSpecSchema>;
type TransformSpec = z.output<typeof transformSpecSchema>;

/** A classification pipeline: each step parsed by its transform's schema, then compiled for its order rules. */
const pipelineSchema = pipelineSpecSchema.transform((steps, ctx): PipelineSteps => {
  const filled = parsePipelineComponents(ctx, [], transformRegistry, steps);
  if (filled === undefined) return steps;
  checkComponent(ctx, [], () => compileViews(filled));
  return filled;
});

/** One pipeline or `{ views: [...] }`, each step parsed by its transform's schema. */
const viewsSchema = transformSpecSchema.transform((spec, ctx): TransformSpec => {
  if (Array.isArray(spec)) {
    const filled = parsePipelineComponents(ctx, [], transformRegistry, spec);
    if (filled === undefined) return spec;
    checkComponent(ctx, [], () => compileViews(filled));
    return filled;
  }
  const views = spec.views.map((view, v) => parsePipelineComponents(ctx, ['views', v], transformRegistry, view));
  if (!views.every((view) => view !== undefined)) return spec;
  const filled = { views: views as PipelineSteps[] };
  checkComponent(ctx, [], () => compileViews(filled));
  return filled;
});

/**
 * A validation split held out of the (long-tailed) training set, per class and seeded
 * (docs/evaluation.md §7): `perClass` images of each class (a balanced split where classes have
 * more), or `fraction` of each class's images (a long-tailed one). Every class keeps at least one
 * training image. With it, `best.ckpt` is chosen on this split rather than on the test set.
 */
export const validationSchema = z
  .strictObject({
    perClass: z.number().int().positive().optional(),
    fraction: z.number().gt(0).lt(1).optional(),
    /** Which images are held out; the run's `seed` does not change them (like `longTail.seed`). */
    seed: z.number().int().min(0).default(0),
  })
  .superRefine((value, ctx) => {
    if ((value.perClass === undefined) === (value.fraction === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'set exactly one of perClass or fraction' });
    }
  });

export const dataSchema = z.strictObject({
  source: z.enum(['fashion-mnist', 'mnist', 'cifar10', 'cifar100', 'list', 'image-folder']),
  /** Directory of the files; each source has a default (Fashion-MNIST: the Debian package). */
  root: z.string().optional(),
  /** List sources: the train and test list files (`<relative path> <label>` per line). */
  trainList: z.string().optional(),
  testList: z.string().optional(),
  /** Long-tailed subset of the training set (docs/evaluation.md §4); absent: the training set as it is. */
  longTail: longTailOptionsSchema.optional(),
  /** Validation split held out of the training set; absent: none (best is chosen on the test set). */
  validation: validationSchema.optional(),
  /** Renumber classes by ascending training count (0 = rarest, stable), as ResLT on ImageNet-LT (docs/methods.md §9.3). */
  relabelByFrequency: z.boolean().default(false),
  transforms: z
    .strictObject({
      /** One pipeline, or `{ views: [query, key] }` for two-view methods. */
      train: viewsSchema.default([]),
      test: pipelineSchema.default([]),
    })
    .default({ train: [], test: [] }),
});

/**
 * `{ name: 'class-balanced', seed?: n, ...options }` (the samplers package's spec), options filled;
 * `seed` stays out unless written (the trainer derives it from the run's seed, per stage).
 */
export const samplerSchema = samplerSpecSchema.transform(
  (spec, ctx): z.output<typeof samplerSpecSchema> => parseNamedComponent(ctx, [], samplerRegistry, spec) ?? spec,
);

export const backboneSchema = z
  .strictObject({ name: z.string().min(1), options })
  .transform((backbone, ctx) => parseBackboneComponent(backbone, ctx));

export const momentumEncoderSchema = z.strictObject({
  momentum: z.number().min(0).max(1).default(0.999),
  /** K, the queue of past keys (PaCo ImageNet 8192, CIFAR 1024); a multiple of the batch size. */
  queueSize: z.number().int().min(0).default(1024),
  /** `original` reproduces PaCo's queue initialisation quirk (docs/methods.md §8.2); `unit-rows` normalises rows. */
  queueInit: z.enum(['original', 'unit-rows']).default('original'),
});

export const methodSchema = z
  .strictObject({
    loss: z.string().min(1),
    /** The loss's own options, parsed by its schema (`@ltlab/losses/schema`) with defaults filled. */
    options,
    /** Projection MLP (Linear-BN-ReLU-Linear) for losses on embeddings (PaCo, SupCon). */
    projection: z
      .strictObject({
        dim: z.number().int().positive().default(128),
        hiddenDim: z.number().int().positive().optional(),
      })
      .default({ dim: 128 }),
    /** Options of the branch head, when the loss needs branch logits (ResLT: `afterConv1x1`); empty otherwise. */
    head: options,
    momentumEncoder: momentumEncoderSchema.optional(),
    /**
     * Deferred re-weighting (LDAM-DRW): class-balanced weights once `startEpoch` epochs of the stage
     * are done, i.e. from epoch startEpoch + 1 on (epochs count from 1; 24 of 30 re-weights the last 6).
     */
    drw: z
      .strictObject({ startEpoch: z.number().int().min(0), beta: z.number().min(0).lt(1).default(0.9999) })
      .optional(),
    /** Tau-normalised classifier at inference (ResLT): weights / ||w||^gamma, no bias. */
    tauNorm: z.strictObject({ gamma: z.number().min(0) }).optional(),
  })
  .transform((method, ctx) => parseMethodComponents(method, ctx));

export const optimizerSchema = z.strictObject({
  name: z.literal('sgd').default('sgd'),
  lr: z.number().positive(),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: z.number().min(0).default(5e-4),
  /** The papers decay every parameter; false exempts BN parameters and biases. */
  weightDecayOnNormAndBias: z.boolean().default(true),
});

export const evaluationSchema = z.strictObject({
  everyEpochs: z.number().int().positive().default(1),
  batchSize: z.number().int().positive().default(500),
  /** Evaluate on the first N test images of each class only (quick runs and tests); absent: all. */
  maxPerClass: z.number().int().positive().optional(),
});

export const checkpointSchema = z.strictObject({
  everyEpochs: z.number().int().positive().default(1),
  keepLast: z.number().int().positive().default(2),
  keepBest: z.boolean().default(true),
});

/**
 * Train as the original's `count` data-parallel devices (PyTorch DistributedDataParallel), each
 * seeing batchSize / count samples (docs/methods.md §8.8): train-mode BN statistics and the loss
 * per chunk, the loss averaged over chunks, every chunk's keys enqueued. Absent: one device, the
 * whole batch. No default is filled, so configs without it keep their run ids.
 */
export const replicasSchema = z.strictObject({
  count: z.number().int().positive(),
});

/** A later stage, e.g. classifier re-training with a class-balanced sampler on a frozen trunk. */
export const stageSchema = z.strictObject({
  name: z.string().min(1),
  epochs: z.number().int().positive(),
  sampler: samplerSchema.optional(),
  method: methodSchema.optional(),
  optimizer: optimizerSchema.optional(),
  schedule: scheduleSchema.optional(),
  freezeBackbone: z.boolean().default(true),
  reinitClassifier: z.boolean().default(false),
});

export const classificationRunConfigSchema = z
  .strictObject({
    /**
     * Left out by classification configs: absent, it adds nothing to the canonical config, so the
     * run ids of every config written before tasks existed stay as they were.
     */
    task: z.literal('classification').optional(),
    name: z.string().default(''),
    seed: z.number().int().min(0).default(0),
    data: dataSchema,
    // prefault: the default goes through the sampler's schema too, so it is filled like a written one.
    sampler: samplerSchema.prefault({ name: 'instance-balanced' }),
    backbone: backboneSchema,
    method: methodSchema,
    optimizer: optimizerSchema,
    schedule: scheduleSchema.default({ type: 'warmup-cosine', warmupEpochs: 10 }),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    evaluation: evaluationSchema.default({ everyEpochs: 1, batchSize: 500 }),
    checkpoint: checkpointSchema.default({ everyEpochs: 1, keepLast: 2, keepBest: true }),
    stages: z.array(stageSchema).default([]),
    /** Per-device batch semantics of a multi-GPU original; absent: one device (adds nothing to the fingerprint). */
    replicas: replicasSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const replicas = config.replicas?.count ?? 1;
    if (config.batchSize % replicas !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas', 'count'],
        message: `${replicas} does not divide batchSize ${config.batchSize}; each replica sees batchSize / count samples, so pick a divisor of batchSize (or change batchSize)`,
      });
    }
    const queue = config.method.momentumEncoder?.queueSize ?? 0;
    if (queue > 0 && queue % config.batchSize !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['method', 'momentumEncoder', 'queueSize'],
        message: `${queue} is not a multiple of batchSize ${config.batchSize}; the queue advances one batch per step`,
      });
    }
  });

export type ClassificationRunConfigInput = z.input<typeof classificationRunConfigSchema>;
export type ClassificationRunConfig = z.output<typeof classificationRunConfigSchema>;

/** The tasks a run config can name; absent means classification. */
export const TASKS = ['classification', 'segmentation'] as const;
export type TaskName = (typeof TASKS)[number];

/** Every run config, discriminated by `task` (absent: classification). */
export const runConfigSchema = z.discriminatedUnion(
  'task',
  [classificationRunConfigSchema, segmentationRunConfigSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `unknown task; use one of ${TASKS.join(', ')} (absent: classification)`
        : undefined,
  },
);

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;

/** The task a config trains. */
export function taskOf(config: RunConfig): TaskName {
  return config.task ?? 'classification';
}

/**
 * The config as a classification run config, for code that only handles classification (a
 * script over the classification recipes); CONFIG.UNSUPPORTED naming the task otherwise.
 */
export function classificationConfigOf(config: RunConfig, what = 'run config'): ClassificationRunConfig {
  if (config.task === 'segmentation') {
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `${what} is a segmentation run config; a classification one is needed here.`,
      {
        fix: 'Pass a classification run config (no task: key).',
      },
    );
  }
  return config;
}

/** The config as a segmentation run config; CONFIG.UNSUPPORTED otherwise. */
export function segmentationConfigOf(config: RunConfig, what = 'run config'): SegmentationRunConfig {
  if (config.task !== 'segmentation') {
    throw new LtlabError(
      'CONFIG.UNSUPPORTED',
      `${what} is a classification run config; a segmentation one is needed here.`,
      {
        fix: 'Pass a run config with task: segmentation.',
      },
    );
  }
  return config;
}

/** Parses a run config, listing every bad field with its path (CONFIG.INVALID). */
export function parseRunConfig(input: unknown, what = 'run config'): RunConfig {
  return parseOrThrow(runConfigSchema, input, what);
}

/** The canonical JSON of a parsed config (defaults filled in): equal configs, equal text. */
export function canonicalRunConfig(config: RunConfig): string {
  return canonicalJson(config);
}

/** The run's fingerprint: sha256 of its canonical config. */
export function runConfigHash(config: RunConfig): string {
  return canonicalHash(config);
}
