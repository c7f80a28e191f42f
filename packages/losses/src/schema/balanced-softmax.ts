import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const balancedSoftmaxOptionsSchema = z.strictObject({});
export type BalancedSoftmaxOptions = z.output<typeof balancedSoftmaxOptionsSchema>;

/** The loss `balanced-softmax` as data: name, summary, option schema and what the trainer must supply. */
export const balancedSoftmaxSchemaEntry = defineLossSchema({
  name: 'balanced-softmax',
  summary: 'Balanced Softmax (Ren et al. 2020): CE on logits + log class counts.',
  schema: balancedSoftmaxOptionsSchema,
  requires: { ...NOTHING_REQUIRED, logits: true, labels: 'required', classCounts: 'required' },
});
