import { bestSelectionSchema } from '@ltlab/config';
import { issuesOf, LtlabError } from '@ltlab/core';
import { z } from 'zod';
import type { BestSoFar } from './best-selection.js';

/**
 * The training progress a checkpoint stores beside its tensors. `epoch` counts the epochs
 * completed, so it is also the 1-based number of the last one (`epoch-00008.ckpt` holds 8).
 */
const bestSchema = z.union([
  bestSelectionSchema.extend({ value: z.number(), epoch: z.number().int().min(1) }),
  // Checkpoints of the 0-based trainers: best was always top-1 on the test set.
  z
    .object({ top1: z.number(), epoch: z.number().int().min(0) })
    .transform(
      (old): BestSoFar => ({ metric: 'top1', split: 'test', mode: 'max', value: old.top1, epoch: old.epoch + 1 }),
    ),
]);

export const checkpointStateSchema = z.object({
  epoch: z.number().int().min(0),
  step: z.number().int().min(0),
  best: bestSchema.nullable().default(null),
  queuePointer: z.number().int().min(0).default(0),
});

export type CheckpointState = z.output<typeof checkpointStateSchema>;

/** Reads a checkpoint's progress; one this trainer cannot read is CHECKPOINT.CORRUPT, naming the field. */
export function parseCheckpointState(state: unknown, path: string): CheckpointState {
  const parsed = checkpointStateSchema.safeParse(state);
  if (parsed.success) return parsed.data;
  const fields = issuesOf(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
  const reason = `unreadable state (${fields.join('; ')})`;
  throw new LtlabError('CHECKPOINT.CORRUPT', `Checkpoint ${path} has an ${reason}.`, {
    fix: 'A resume skips it for the previous checkpoint; delete it if this repeats.',
    details: { path, reason },
  });
}
