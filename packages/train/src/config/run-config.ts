import { canonicalHash, canonicalJson, parseOrThrow } from '@ltlab/core';
import { z } from 'zod';
import { scheduleSchema } from './schedule.js';

/**
 * The run config (DESIGN.md §4): everything that determines a run, as data. It is validated
 * here without TensorFlow.js, so the control plane can reject a bad sweep before it reaches
 * the queue; component options (loss, backbone, transforms, sampler) are validated again by
 * their own schemas when the trainer builds them.
 */
const options = z.record(z.string(), z.unknown()).default({});

/** One transform of a pipeline: `{ name, ...options }`. */
export const transformStepSchema = z.looseObject({ name: z.string().min(1) });

export const longTailSchema = z.object({
  profile: z.enum(['exponential', 'step', 'none']).default('exponential'),
  /** rho = n_max / n_min; the papers' `imb_factor` is 1 / rho. */
  imbalanceFactor: z.number().min(1).default(100),
  /** Images of the largest class; defaults to the source's largest class count. */
  imgMax: z.number().int().positive().optional(),
  /** Seed of the per-class subset choice (PaCo and ResLT use 0). */
  seed: z.number().int().min(0).default(0),
});

export const dataSchema = z.object({
  source: z.enum(['fashion-mnist', 'mnist', 'cifar10', 'cifar100', 'list', 'image-folder']),
  /** Directory of the files; each source has a default (Fashion-MNIST: the Debian package). */
  root: z.string().optional(),
  trainList: z.string().optional(),
  testList: z.string().optional(),
  longTail: longTailSchema.default({ profile: 'none', imbalanceFactor: 1, seed: 0 }),
  /** Renumber classes by decreasing training count (stable), as ResLT does (§3.4). */
  relabelByFrequency: z.boolean().default(false),
  transforms: z
    .object({
      train: z.array(transformStepSchema).default([]),
      /** The second (key) view for two-view losses; defaults to the train pipeline. */
      key: z.array(transformStepSchema).optional(),
      test: z.array(transformStepSchema).default([]),
    })
    .default({ train: [], test: [] }),
});

export const samplerSchema = z.object({
  name: z.enum(['instance', 'class-balanced', 'square-root', 'progressive']).default('instance'),
  options,
});

export const backboneSchema = z.object({ name: z.string().min(1), options });

export const momentumEncoderSchema = z.object({
  momentum: z.number().min(0).max(1).default(0.999),
  queueSize: z.number().int().min(0).default(1024),
  featureDim: z.number().int().positive().default(128),
  /** Reproduce the original queue initialisation (normalised along the wrong axis, §2.10). */
  originalQueueInit: z.boolean().default(false),
});

export const methodSchema = z.object({
  loss: z.string().min(1),
  options,
  momentumEncoder: momentumEncoderSchema.optional(),
  /** Deferred re-weighting (LDAM-DRW): class-balanced weights from this epoch on. */
  drw: z.object({ startEpoch: z.number().int().min(0), beta: z.number().min(0).lt(1).default(0.9999) }).optional(),
  /** Tau-normalised classifier at inference (ResLT): weights / ||w||^gamma, no bias. */
  tauNorm: z.object({ gamma: z.number().min(0) }).optional(),
});

export const optimizerSchema = z.object({
  name: z.literal('sgd').default('sgd'),
  lr: z.number().positive(),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: z.number().min(0).default(5e-4),
  /** The papers decay every parameter; false exempts BN parameters and biases. */
  weightDecayOnNormAndBias: z.boolean().default(true),
});

export const evaluationSchema = z.object({
  everyEpochs: z.number().int().positive().default(1),
  batchSize: z.number().int().positive().default(500),
});

export const checkpointSchema = z.object({
  everyEpochs: z.number().int().positive().default(1),
  keepLast: z.number().int().positive().default(2),
  keepBest: z.boolean().default(true),
});

/** A later stage, e.g. classifier re-training with a class-balanced sampler on a frozen trunk. */
export const stageSchema = z.object({
  name: z.string().min(1),
  epochs: z.number().int().positive(),
  sampler: samplerSchema.optional(),
  method: methodSchema.optional(),
  optimizer: optimizerSchema.optional(),
  schedule: scheduleSchema.optional(),
  freezeBackbone: z.boolean().default(true),
  reinitClassifier: z.boolean().default(false),
});

export const runConfigSchema = z
  .object({
    name: z.string().default(''),
    seed: z.number().int().min(0).default(0),
    data: dataSchema,
    sampler: samplerSchema.default({ name: 'instance', options: {} }),
    backbone: backboneSchema,
    method: methodSchema,
    optimizer: optimizerSchema,
    schedule: scheduleSchema.default({ type: 'warmup-cosine', warmupEpochs: 10 }),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    evaluation: evaluationSchema.default({ everyEpochs: 1, batchSize: 500 }),
    checkpoint: checkpointSchema.default({ everyEpochs: 1, keepLast: 2, keepBest: true }),
    stages: z.array(stageSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const queue = config.method.momentumEncoder?.queueSize ?? 0;
    if (queue > 0 && queue % config.batchSize !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['method', 'momentumEncoder', 'queueSize'],
        message: `${queue} is not a multiple of batchSize ${config.batchSize}; the queue advances one batch per step`,
      });
    }
  });

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;

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
