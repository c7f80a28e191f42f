import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const pacoOptionsSchema = z.strictObject({
  /** Weight of each sample positive. @defaultValue 0.05 (ImageNet-LT, iNat, Places; CIFAR uses 0.01) */
  alpha: z.number().min(0).default(0.05),
  /** Weight of the ground-truth center positive. @defaultValue 1 */
  beta: z.number().min(0).default(1),
  /** Multiplier of the sample terms in the softmax denominator. @defaultValue 1 */
  gamma: z.number().min(0).default(1),
  /** Divisor of the center logits ("supervised temperature"). @defaultValue 1 */
  supt: z.number().positive().default(1),
  /** Contrast temperature T (`moco-t`). @defaultValue 0.2 (0.07 ResNeXt-50 ImageNet-LT, 0.05 CIFAR) */
  temperature: z.number().positive().default(0.2),
  /** Final scale is T / baseTemperature; absent means T (scale 1), as in every original script. */
  baseTemperature: z.number().positive().optional(),
  /** Queue length K; absent means N - 2B from the shapes. When given it must match them. */
  queueSize: z.number().int().min(0).optional(),
});
export type PacoOptions = z.output<typeof pacoOptionsSchema>;

/** The loss `paco` as data: name, summary, option schema and what the trainer must supply. */
export const pacoSchemaEntry = defineLossSchema({
  name: 'paco',
  summary: 'PaCo (Cui et al. 2021) with the class prior; the balanced Full-ImageNet loss without class counts.',
  schema: pacoOptionsSchema,
  requires: {
    ...NOTHING_REQUIRED,
    logits: true,
    labels: 'required',
    classCounts: 'optional',
    features: 'normalized',
    featureLayout: 'query-key-queue',
    twoViews: true,
    momentumQueue: true,
  },
});
