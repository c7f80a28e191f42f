import { z } from 'zod';

/**
 * What a trainer reports, one JSON object per line on stdout (docs/architecture.md §5.4): `type`
 * discriminated, each with run id, attempt, a per-attempt sequence number (so a replayed event
 * is recognised), epoch, step and wall time. Queue consumers parse them again on receipt.
 */
const base = {
  runId: z.string().min(1),
  attempt: z.number().int().min(1),
  seq: z.number().int().min(0),
  /** 0-based epoch the event belongs to (for `started`, the first epoch to run). */
  epoch: z.number().int().min(0),
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

export const trainerEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('started'),
    backend: z.string(),
    device: z.string().nullable(),
    totalEpochs: z.number().int().positive(),
    stepsPerEpoch: z.number().int().positive(),
    resumedFrom: z.string().nullable(),
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
    split: z.string(),
    metrics: shotAccuracySchema,
    perClassAccuracy: z.array(z.number()),
    trainCounts: z.array(z.number()),
    confusion: z.array(z.array(z.number())).nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('checkpoint'),
    /** Relative to the artifact root. */
    path: z.string(),
    sizeBytes: z.number().int().min(0),
    sha256: z.string(),
    best: z.boolean(),
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

export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type TrainerEventType = TrainerEvent['type'];
