import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const focalOptionsSchema = z.strictObject({
  /** Focusing exponent; 0 is plain (weighted) CE. @defaultValue 1 (LDAM-DRW's Focal runs) */
  gamma: z.number().min(0).default(1),
});
export type FocalOptions = z.output<typeof focalOptionsSchema>;

/** The loss `focal` as data: name, summary, option schema and what the trainer must supply. */
export const focalSchemaEntry = defineLossSchema({
  name: 'focal',
  summary: 'Focal loss (Lin et al. 2017) in the LDAM-DRW form, with optional per-class weights.',
  schema: focalOptionsSchema,
  requires: { ...NOTHING_REQUIRED, logits: true, labels: 'required', classWeights: 'optional' },
});
