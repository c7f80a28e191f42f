import { z } from 'zod';

/** A dotted config path such as `method.options.temperature` (letters, digits, `_`, `-`). */
export const configPathSchema = z
  .string()
  .regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'must be a dotted config path such as method.options.temperature');

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const distributionSchema = z
  .discriminatedUnion('distribution', [
    z.object({ distribution: z.literal('uniform'), min: z.number(), max: z.number() }),
    z.object({ distribution: z.literal('log-uniform'), min: z.number().positive(), max: z.number().positive() }),
    /** An integer in [min, max], both inclusive. */
    z.object({ distribution: z.literal('int'), min: z.number().int(), max: z.number().int() }),
    z.object({ distribution: z.literal('choice'), values: z.array(jsonValue).min(1) }),
  ])
  .superRefine((d, ctx) => {
    if ('max' in d && d.max < d.min)
      ctx.addIssue({ code: 'custom', path: ['max'], message: `max ${d.max} is below min ${d.min}` });
  });

export type Distribution = z.infer<typeof distributionSchema>;

export const objectiveSchema = z.object({
  /** `<split>/<metric>`: test/top1, test/few, train/loss, ... */
  metric: z
    .string()
    .regex(/^[\w-]+\/[\w-]+$/, 'must be <split>/<metric>, e.g. test/top1')
    .default('test/top1'),
  mode: z.enum(['max', 'min']).default('max'),
});

export const earlyStoppingSchema = z.discriminatedUnion('rule', [
  /** Stop a run whose best value so far is worse than the median of the other runs' values at
   * the same epoch (Golovin et al., 2017, the Vizier median stopping rule). */
  z.object({
    rule: z.literal('median'),
    minEpochs: z.number().int().min(1).default(3),
    minRuns: z.number().int().min(1).default(3),
  }),
  /** Asynchronous successive halving (Li et al., 2020): at rungs gracePeriod * eta^k epochs a
   * run continues only if it is in the top 1/eta of the runs that reached that rung. */
  z.object({
    rule: z.literal('asha'),
    gracePeriod: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);

export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;

export const sweepSpecSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"'),
    description: z.string().default(''),
    /** The base run config: a path (relative to the sweep file) or the config inline. */
    base: z.union([z.string().min(1), z.record(z.string(), jsonValue)]),
    /**
     * Named sets of values that go together (a method with its options and views), each crossed
     * with the grid: `[{ name: paco, set: { method: {...}, data.transforms.train: {...} } }]`.
     */
    variants: z.array(z.object({ name: z.string().min(1), set: z.record(configPathSchema, jsonValue) })).default([]),
    /** Every combination of these values is a run (first key outermost). */
    grid: z.record(configPathSchema, z.array(jsonValue).min(1)).default({}),
    random: z
      .object({
        count: z.number().int().min(1),
        seed: z.number().int().min(0).default(0),
        params: z.record(configPathSchema, distributionSchema),
      })
      .optional(),
    /** Seeds per configuration: a count (seeds base, base+1, ...) or the list of seeds. */
    replicates: z
      .union([z.number().int().min(1), z.object({ seeds: z.array(z.number().int().min(0)).min(1) })])
      .default(1),
    objective: objectiveSchema.default({ metric: 'test/top1', mode: 'max' }),
    earlyStopping: earlyStoppingSchema.optional(),
    maxConcurrency: z.number().int().positive().optional(),
    /** 0-100, higher first. */
    priority: z.number().int().min(0).max(100).default(50),
  })
  .superRefine((spec, ctx) => {
    for (const key of Object.keys(spec.random?.params ?? {})) {
      if (key in spec.grid)
        ctx.addIssue({ code: 'custom', path: ['random', 'params', key], message: 'is also a grid key' });
    }
    const varied = [...Object.keys(spec.grid), ...Object.keys(spec.random?.params ?? {})];
    if (spec.replicates !== 1 && varied.includes('seed')) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicates'],
        message: 'cannot be combined with a grid or random "seed"',
      });
    }
  });

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepSpec = z.output<typeof sweepSpecSchema>;
