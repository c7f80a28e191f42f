import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

const labelRange = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([lo, hi]) => lo <= hi, { message: 'expected [lo, hi) with lo <= hi' });

export const resltOptionsSchema = z
  .strictObject({
    /** Weight of the branch loss against the fused loss. @defaultValue 0.99 (ImageNet-LT; CIFAR-100 rho 100 uses 0.995) */
    beta: z.number().min(0).max(1).default(0.99),
    /** Labels [lo, hi) of the medium + tail group (branch M). CIFAR-100: [35, 100]. */
    mediumTailRange: labelRange,
    /** Labels [lo, hi) of the tail group (branch T); unused with two branches. CIFAR-100: [70, 100]. */
    tailRange: labelRange.optional(),
    /** 0: the fused loss is plain CE; otherwise -log(softmax + fuseEpsilon) (ImageNet-LT: 1e-7). @defaultValue 0 */
    fuseEpsilon: z.number().min(0).default(0),
    /** 3 (H, M, T) or 2 (H, M: the iNat script). @defaultValue 3 */
    branches: z.union([z.literal(2), z.literal(3)]).default(3),
  })
  .superRefine((options, ctx) => {
    if (options.branches === 3 && options.tailRange === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tailRange'], message: 'required with branches = 3' });
    }
  });
export type ResltOptions = z.output<typeof resltOptionsSchema>;

/** The loss `reslt` as data: name, summary, option schema and what the trainer must supply. */
export const resltSchemaEntry = defineLossSchema({
  name: 'reslt',
  summary: 'ResLT (Cui et al. 2022): group-weighted branch CE plus CE of the fused logits.',
  schema: resltOptionsSchema,
  requires: { ...NOTHING_REQUIRED, branchLogits: true, labels: 'required' },
});
