import {
  compileSegmentationPipeline,
  pipelineSpecSchema,
  segmentationSourceSpecSchema,
  segmentationTransformRegistry,
} from '@ltlab/datasets';
import { z } from 'zod';
import { checkComponent } from './check-component.js';
import { parseSegmentationModelComponent } from './components/backbone-component.js';
import { parsePipelineComponents } from './components/pipeline-components.js';
import { iterationScheduleSchema } from './iteration-schedule.js';

/**
 * The run config of a semantic segmentation run (docs/segmentation.md "Training"): iteration
 * based, as mmsegmentation's IterBasedRunner, which the Region Rebalance recipes use. Strict like
 * the classification config: an unknown key is an error naming its path. The model's name and
 * options, the source and each transform step are parsed by their own TF-free schemas
 * (docs/architecture.md §5.8), defaults filled, issues at their paths.
 */
const options = z.record(z.string(), z.unknown()).default({});

type PipelineSteps = z.output<typeof pipelineSpecSchema>;

/** A paired pipeline: each step parsed by its transform's schema, then compiled for its order rules. */
const segmentationPipelineSchema = pipelineSpecSchema.transform((steps, ctx): PipelineSteps => {
  const filled = parsePipelineComponents(ctx, [], segmentationTransformRegistry, steps);
  if (filled === undefined) return steps;
  checkComponent(ctx, [], () => compileSegmentationPipeline(filled));
  return filled;
});
const iterations = z.number().int().positive();

export const segmentationDataSchema = z.strictObject({
  /**
   * The data set by name with its options (the datasets package's spec): `{ name: ade20k, root }`,
   * `{ name: cityscapes, root }`, `{ name: coco-stuff-164k, root, labels? }` or the benchmark
   * `{ name: fashion-mnist-seg-lt, seed, trainImages, ... }`.
   */
  source: segmentationSourceSpecSchema,
  transforms: z
    .strictObject({
      /** Paired steps (resize, randomCrop, randomFlip, photoMetricDistortion), normalize, pad. */
      train: segmentationPipelineSchema.default([]),
      test: segmentationPipelineSchema.default([]),
    })
    .default({ train: [], test: [] }),
});

export const segmentationModelSchema = z
  .strictObject({
    /** A segmentation model of the registry: `<head>-<trunk>`, e.g. `deeplabv3plus-resnet50`, `fcn-resnet18`. */
    name: z.string().min(1),
    /** The model's own options (outputStride, auxHead, channels, trunkWidth, ...); numClasses and seed come from the run. */
    options,
  })
  .transform((model, ctx) => parseSegmentationModelComponent(model, ctx));

/**
 * Region Rebalance (arXiv 2204.01969, §3; docs/methods.md §10): the frozen region branch on the
 * decode head's features and its logit-adjusted, label-smoothed region loss. Defaults are the
 * ADE20K config of the original code.
 */
export const regionRebalanceSchema = z.strictObject({
  /** Loss weight w (`img_cls_weight`). */
  weight: z.number().min(0).default(1),
  /** Target mass s on the region's class; the rest is spread over the other C - 1. */
  smooth: z.number().min(0).max(1).default(0.5),
  /** Multiplier of the region logits. */
  scale: z.number().positive().default(1),
  /** Width of the pixel projection (1x1 conv + BN). */
  reducedChannels: z.number().int().positive().default(128),
  /** Width of the hidden region layer. */
  hiddenChannels: z.number().int().positive().default(512),
});

export const segmentationLossSchema = z.strictObject({
  /**
   * Weight of the auxiliary FCN head's pixel cross-entropy (used when the model has the head:
   * model option `auxHead`, on by default). Both pixel losses average over every label pixel,
   * ignored ones counted in the denominator (mmsegmentation 0.17).
   */
  auxiliaryWeight: z.number().min(0).default(0.4),
  /** Absent: plain pixel cross-entropy (the CE baseline). */
  regionRebalance: regionRebalanceSchema.optional(),
});

/** Parameters kept out of weight decay: normalisation scales and shifts, and/or biases. */
export const WEIGHT_DECAY_EXEMPTIONS = ['norm', 'bias'] as const;

export const adamwSchema = z.strictObject({
  name: z.literal('adamw'),
  lr: z.number().positive(),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.999]),
  eps: z.number().positive().default(1e-8),
  /** Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p, before the Adam step. */
  weightDecay: z.number().min(0).default(0.01),
  /**
   * Parameter groups without weight decay. The Region Rebalance recipe exempts normalisation
   * layers (and Swin's position tables, which ResNets do not have); its biases are decayed.
   */
  noWeightDecay: z.array(z.enum(WEIGHT_DECAY_EXEMPTIONS)).default(['norm']),
});

export const segmentationOptimizerSchema = z.discriminatedUnion('name', [adamwSchema]);

export const segmentationEvaluationSchema = z.strictObject({
  /** Evaluate on the test split every N iterations (and after the last). A multiple of `periodIterations`. */
  everyIterations: iterations,
  /** Images per evaluation batch; images of different sizes need 1. */
  batchSize: z.number().int().positive().default(1),
  /** Score against the stored label maps (the logits resized to them), as mmsegmentation; false: the transformed ones. */
  originalLabels: z.boolean().default(true),
  /** Evaluate on the first N test images only (quick runs and tests); absent: all. */
  maxImages: z.number().int().positive().optional(),
});

export const segmentationCheckpointSchema = z.strictObject({
  /** A resumable checkpoint every N iterations (and after the last). A multiple of `periodIterations`. */
  everyIterations: iterations,
  keepLast: z.number().int().positive().default(2),
  keepBest: z.boolean().default(true),
});

export const segmentationRunConfigSchema = z
  .strictObject({
    task: z.literal('segmentation'),
    name: z.string().default(''),
    seed: z.number().int().min(0).default(0),
    data: segmentationDataSchema,
    model: segmentationModelSchema,
    loss: segmentationLossSchema.default({ auxiliaryWeight: 0.4 }),
    optimizer: segmentationOptimizerSchema,
    schedule: iterationScheduleSchema.default({
      type: 'poly',
      power: 1,
      minLr: 0,
      warmupIterations: 0,
      warmupRatio: 1e-6,
    }),
    /** The training budget, in optimizer steps (mmsegmentation's `max_iters`). */
    iterations,
    /**
     * Iterations per period, the unit an iteration-based run reports in: one `epoch` event (mean
     * loss, learning rate, speed) per period, and events, checkpoint files and the store count
     * periods where epoch-based runs count epochs. `step` always counts iterations.
     */
    periodIterations: iterations.default(50),
    batchSize: z.number().int().positive(),
    evaluation: segmentationEvaluationSchema,
    checkpoint: segmentationCheckpointSchema,
  })
  .superRefine((config, ctx) => {
    if (config.evaluation.originalLabels && config.data.transforms.test.some((step) => step.name === 'pad')) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'transforms', 'test'],
        message:
          "ends with 'pad', but evaluation.originalLabels resizes the logits of the whole (unpadded) image to the stored label map; drop the pad",
      });
    }
    const period = config.periodIterations;
    if (config.iterations % period !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['iterations'],
        message: `${config.iterations} is not a multiple of periodIterations ${period}`,
      });
    }
    for (const [path, every] of [
      [['evaluation', 'everyIterations'], config.evaluation.everyIterations],
      [['checkpoint', 'everyIterations'], config.checkpoint.everyIterations],
    ] as const) {
      if (every % period !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: [...path],
          message: `${every} is not a multiple of periodIterations ${period}: evaluations and checkpoints happen at the end of a period`,
        });
      }
    }
    const warmup = config.schedule.type === 'poly' ? config.schedule.warmupIterations : 0;
    if (warmup >= config.iterations) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule', 'warmupIterations'],
        message: `${warmup} warm-up iterations leave none of the ${config.iterations} for the schedule`,
      });
    }
  });

export type SegmentationRunConfigInput = z.input<typeof segmentationRunConfigSchema>;
export type SegmentationRunConfig = z.output<typeof segmentationRunConfigSchema>;
