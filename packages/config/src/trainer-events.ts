import { segmentationEvaluationSchema } from '@ltlab/metrics';
import { z } from 'zod';

/**
 * What a trainer reports, one JSON object per line on stdout (docs/architecture.md §5.4): `type`
 * discriminated, each with run id, attempt, a per-attempt sequence number (so a replayed event
 * is recognised), epoch, step and wall time. Queue consumers parse them again on receipt.
 *
 * Epochs count from 1, as users do: the first epoch is 1 and an 8-epoch run ends with epoch 8.
 * Trainers before that numbering sent 0-based epochs and no `epochBase`; parsing such an event
 * adds 1 to its epoch, so whatever reads a parsed event sees one numbering (docs/architecture.md §5.4).
 */
const base = {
  runId: z.string().min(1),
  attempt: z.number().int().min(1),
  seq: z.number().int().min(0),
  /**
   * 1-based epoch the event belongs to: `epoch`, `eval` and `checkpoint` the epoch just
   * completed, `finished` the last one, `failed` the one in progress, `started` the first one to
   * run. (0 only in events of the old 0-based trainers, before parsing.)
   */
  epoch: z.number().int().min(0),
  /** 1: `epoch` counts from 1. Absent in events of the old 0-based trainers. */
  epochBase: z.literal(1).optional(),
  /** Optimizer steps done so far in the whole run. */
  step: z.number().int().min(0),
  /** Wall time, ms since the epoch. */
  time: z.number(),
};

export const shotAccuracySchema = z.object({
  top1: z.number(),
  top5: z.number().nullable(),
  /** Null when no evaluated class falls in the group. */
  many: z.number().nullable(),
  medium: z.number().nullable(),
  few: z.number().nullable(),
});

/** The classification metrics a best checkpoint can be chosen by (an eval event's `metrics`). */
export const CLASSIFICATION_SELECTION_METRICS = ['top1', 'top5', 'many', 'medium', 'few'] as const;

/**
 * The segmentation metrics a best checkpoint can be chosen by (an eval event's `segmentation`
 * block): mIoU, pixel accuracy (`aAcc`), mean class accuracy (`mAcc`) and the IoU of the head,
 * body and tail classes by image-level frequency (docs/segmentation.md "Metrics").
 */
export const SEGMENTATION_SELECTION_METRICS = ['mIoU', 'aAcc', 'mAcc', 'headIoU', 'bodyIoU', 'tailIoU'] as const;

/** The evaluation metrics a best checkpoint can be chosen by. */
export const SELECTION_METRICS = [...CLASSIFICATION_SELECTION_METRICS, ...SEGMENTATION_SELECTION_METRICS] as const;

/** How `best.ckpt` is chosen: `metric` of the evaluation on `split` (`val` or `test`), higher or lower. */
export const bestSelectionSchema = z.object({
  metric: z.enum(SELECTION_METRICS),
  split: z.enum(['val', 'test']),
  mode: z.enum(['max', 'min']),
});
export type BestSelection = z.infer<typeof bestSelectionSchema>;

/**
 * An epoch checkpoint a resuming trainer examined and did not use (docs/architecture.md §7): it
 * was newer than the one resumed from, or every checkpoint was rejected and training started
 * again from epoch 1. The trainer renamed the file to `<file>.rejected`.
 */
export const rejectedCheckpointSchema = z.object({
  /** As it was named, relative to the artifact root (`run/checkpoints/epoch-00004.ckpt`). */
  file: z.string(),
  /** `CHECKPOINT.CORRUPT` (truncated, checksum, header, state) or `CONFIG.INVALID` (not of this run's config). */
  code: z.string(),
  /** Why, in one line: `payload checksum mismatch`, `truncated: payload is 100 of 5000 bytes`. */
  reason: z.string(),
});
export type RejectedCheckpoint = z.infer<typeof rejectedCheckpointSchema>;

/**
 * What a trainer runs on, reported once per attempt in its `started` event (docs/architecture.md
 * §5.4): the versions of the ltlab packages it loaded and of TF.js, the backend and the device
 * the runtime reports, Node's version and the platform. Unknown keys pass, so a newer trainer's
 * additions reach the store.
 */
export const provenanceSchema = z.looseObject({
  /** Package name to version, read from each package's package.json at run time. */
  packages: z.record(z.string(), z.string()),
  /** `@tensorflow/tfjs-core`'s `version_core`. */
  tfjs: z.string(),
  backend: z.string(),
  /** CPU model, GPU adapter; null when the runtime reports none. */
  device: z.string().nullable(),
  /** `process.version`. */
  node: z.string(),
  /** `<os>-<arch>`, e.g. `linux-x64`. */
  platform: z.string(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

const eventSchemas = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('started'),
    backend: z.string(),
    device: z.string().nullable(),
    totalEpochs: z.number().int().positive(),
    stepsPerEpoch: z.number().int().positive(),
    /** The checkpoint resumed from, relative to the artifact root; null when training starts at epoch 1. */
    resumedFrom: z.string().nullable(),
    /** Newest first; absent in events of trainers before it was reported (read as none). */
    rejectedCheckpoints: z.array(rejectedCheckpointSchema).default([]),
    /** Absent in events of trainers before it was reported. */
    provenance: provenanceSchema.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('epoch'),
    stage: z.string(),
    trainLoss: z.number(),
    lr: z.number(),
    imagesPerSecond: z.number(),
    seconds: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('eval'),
    /** `test`, or `val` for the validation split held out of the training set (`data.validation`). */
    split: z.string(),
    /**
     * Classification scores. A segmentation evaluation reports its pixel accuracy as `top1` (the
     * top-1 accuracy of the labelled pixels) and null for the rest; its scores are in `segmentation`.
     */
    metrics: shotAccuracySchema,
    /** Per-class accuracy and training images per class; empty for a segmentation evaluation (see `segmentation`). */
    perClassAccuracy: z.array(z.number()),
    trainCounts: z.array(z.number()),
    confusion: z.array(z.array(z.number())).nullable(),
    /**
     * A segmentation evaluation (docs/segmentation.md "Metrics"): mIoU, per-class IoU and
     * accuracy, pixel accuracy, head/body/tail IoU by training image counts, the pixel confusion.
     * Absent for classification, and in every event of trainers before segmentation.
     */
    segmentation: segmentationEvaluationSchema.optional(),
  }),
  /** One checkpoint file written (an epoch's `epoch-NNNNN.ckpt`, or `best.ckpt`). */
  z.object({
    ...base,
    type: z.literal('checkpoint'),
    /** Relative to the artifact root. */
    path: z.string(),
    sizeBytes: z.number().int().min(0),
    sha256: z.string(),
    /** The epoch written is the best so far (by `selection`). */
    best: z.boolean(),
    /** `epoch`: the resumable file of this epoch; `best`: `best.ckpt`, now holding this epoch. */
    file: z.enum(['epoch', 'best']).default('epoch'),
    /** Epoch files `checkpoint.keepLast` deleted after this write (relative to the artifact root). */
    pruned: z.array(z.string()).default([]),
    /** What `best` was chosen by, and its value at this epoch; null when no evaluation scored it yet. */
    selection: bestSelectionSchema.extend({ value: z.number() }).nullable().default(null),
  }),
  z.object({ ...base, type: z.literal('finished'), metrics: shotAccuracySchema.nullable() }),
  z.object({
    ...base,
    type: z.literal('failed'),
    error: z.object({
      code: z.string(),
      message: z.string(),
      retryable: z.boolean(),
      fix: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

/** A trainer event; parsing renumbers an old 0-based one from 1 (and marks it so, so a re-parse keeps it). */
export const trainerEventSchema = eventSchemas.transform(
  (event): z.output<typeof eventSchemas> =>
    event.epochBase === 1 ? event : { ...event, epoch: event.epoch + 1, epochBase: 1 },
);

export type TrainerEvent = z.output<typeof trainerEventSchema>;
export type TrainerEventInput = z.input<typeof trainerEventSchema>;
export type TrainerEventType = TrainerEvent['type'];
