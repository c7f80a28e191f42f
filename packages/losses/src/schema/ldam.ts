import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const ldamOptionsSchema = z.strictObject({
  /** Largest margin, given to the rarest class. @defaultValue 0.5 */
  maxM: z.number().positive().default(0.5),
  /** Logit scale applied after the margin. @defaultValue 30 */
  s: z.number().positive().default(30),
});
export type LdamOptions = z.output<typeof ldamOptionsSchema>;

/** The loss `ldam` as data: name, summary, option schema and what the trainer must supply. */
export const ldamSchemaEntry = defineLossSchema({
  name: 'ldam',
  summary: 'LDAM margin loss (Cao et al. 2019); DRW weights come in as classWeights.',
  schema: ldamOptionsSchema,
  requires: {
    ...NOTHING_REQUIRED,
    logits: true,
    labels: 'required',
    classCounts: 'required',
    classWeights: 'optional',
  },
});
