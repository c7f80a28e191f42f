import { z } from 'zod';
import { NOTHING_REQUIRED } from './loss-requirements.js';
import { defineLossSchema } from './loss-schema-entry.js';

export const supconOptionsSchema = z.strictObject({
  /** Contrast temperature T. @defaultValue 0.07 */
  temperature: z.number().positive().default(0.07),
  /** Final scale is T / baseTemperature. @defaultValue 0.07 */
  baseTemperature: z.number().positive().default(0.07),
  /** `all`: every view is an anchor; `one`: only the first view. @defaultValue 'all' */
  contrastMode: z.enum(['all', 'one']).default('all'),
});
export type SupconOptions = z.output<typeof supconOptionsSchema>;

/** The loss `supcon` as data: name, summary, option schema and what the trainer must supply. */
export const supconSchemaEntry = defineLossSchema({
  name: 'supcon',
  summary: 'Supervised contrastive loss (Khosla et al. 2020); SimCLR when labels are absent.',
  schema: supconOptionsSchema,
  requires: {
    ...NOTHING_REQUIRED,
    labels: 'optional',
    features: 'normalized',
    featureLayout: 'views',
    twoViews: true,
  },
});
