import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const crossEntropyOptionsSchema = z.strictObject({
  /** Mass spread uniformly over all C classes (PyTorch `label_smoothing`). @defaultValue 0 */
  labelSmoothing: z.number().min(0).max(1).default(0),
});
export type CrossEntropyOptions = z.output<typeof crossEntropyOptionsSchema>;

/** The loss `cross-entropy` as data: name, summary, option schema and what the trainer must supply. */
export const crossEntropySchemaEntry = defineLossSchema({
  name: 'cross-entropy',
  summary: 'Softmax cross-entropy with optional label smoothing and per-class weights (PyTorch semantics).',
  schema: crossEntropyOptionsSchema,
  requires: { ...NOTHING_REQUIRED, logits: true, labels: 'required', classWeights: 'optional' },
});
