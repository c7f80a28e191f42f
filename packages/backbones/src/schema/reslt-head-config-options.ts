import { z } from 'zod';

/**
 * What a run config's `method.head` may set for the ResLT branch head (docs/methods.md §9.1);
 * the trainer adds the seed. Strict, so a misspelt option is an error.
 */
export const resltHeadConfigOptionsSchema = z.strictObject({
  /** @defaultValue the backbone's family */
  variant: z.enum(['cifar', 'imagenet']).optional(),
  /** ImageNet variant only: apply the 1x1 block before pooling in training (`--after_1x1conv`). */
  afterConv1x1: z.boolean().default(false),
  trainable: z.boolean().default(true),
});
