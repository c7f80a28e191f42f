import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const logitAdjustedCeOptionsSchema = z.strictObject({
  /** Scale of the log prior. @defaultValue 1 */
  tau: z.number().min(0).default(1),
});
export type LogitAdjustedCeOptions = z.output<typeof logitAdjustedCeOptionsSchema>;

/** The loss `logit-adjusted-ce` as data: name, summary, option schema and what the trainer must supply. */
export const logitAdjustedCeSchemaEntry = defineLossSchema({
  name: 'logit-adjusted-ce',
  summary: 'Logit-adjusted CE (Menon et al. 2021): CE on logits + tau * log prior.',
  schema: logitAdjustedCeOptionsSchema,
  requires: { ...NOTHING_REQUIRED, logits: true, labels: 'required', classCounts: 'required' },
});
