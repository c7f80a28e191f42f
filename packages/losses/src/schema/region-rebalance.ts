import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const regionRebalanceOptionsSchema = z.strictObject({
  /** Target mass on the true class; the rest is spread over the other C - 1. @defaultValue 0.5 (ADE20K config) */
  smooth: z.number().min(0).max(1).default(0.5),
  /** Loss weight (`img_cls_weight`). @defaultValue 1 */
  weight: z.number().min(0).default(1),
  /** Multiplier of the region logits. @defaultValue 1 */
  scale: z.number().positive().default(1),
  /** Pixel label that is ignored. @defaultValue 255 */
  ignoreIndex: z.number().int().default(255),
});
export type RegionRebalanceOptions = z.output<typeof regionRebalanceOptionsSchema>;

/** The loss `region-rebalance` as data: name, summary, option schema and what the trainer must supply. */
export const regionRebalanceSchemaEntry = defineLossSchema({
  name: 'region-rebalance',
  summary: 'Region Rebalance (Cui et al. 2022): logit-adjusted soft CE of class-region features.',
  schema: regionRebalanceOptionsSchema,
  requires: {
    ...NOTHING_REQUIRED,
    labels: 'required',
    classCounts: 'required',
    features: 'raw',
    featureLayout: 'pixels',
    regionProjection: true,
  },
});
