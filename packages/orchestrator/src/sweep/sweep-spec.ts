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
    z.strictObject({ distribution: z.literal('uniform'), min: z.number(), max: z.number() }),
    z.strictObject({ distribution: z.literal('log-uniform'), min: z.number().positive(), max: z.number().positive() }),
    /** An integer in [min, max], both inclusive. */
    z.strictObject({ distribution: z.literal('int'), min: z.number().int(), max: z.number().int() }),
    z.strictObject({ distribution: z.literal('choice'), values: z.array(jsonValue).min(1) }),
  ])
  .superRefine((d, ctx) => {
    if ('max' in d && d.max < d.min)
      ctx.addIssue({ code: 'custom', path: ['max'], message: `max ${d.max} is below min ${d.min}` });
  });

export type Distribution = z.infer<typeof distributionSchema>;

export const objectiveSchema = z.strictObject({
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
  z.strictObject({
    rule: z.literal('median'),
    minEpochs: z.number().int().min(1).default(3),
    minRuns: z.number().int().min(1).default(3),
  }),
  /** Asynchronous successive halving (Li et al., 2020): at rungs gracePeriod * eta^k epochs a
   * run continues only if it is in the top 1/eta of the runs that reached that rung. */
  z.strictObject({
    rule: z.literal('asha'),
    gracePeriod: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);

export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;

/** What a grid key lists: at least one value; a single value is still written as a list. */
const gridValues = z
  .array(jsonValue, {
    error: (issue) => (issue.code === 'invalid_type' ? 'must be a list of values, e.g. [0.1, 0.05]' : undefined),
  })
  .min(1, 'must list at least one value');

/**
 * The sweep file (docs/architecture.md §5.2). Every object of its own structure is strict: a
 * misspelt key (`grdi:`) is an error naming the nearest known key, not a sweep of the base run.
 * What `base`, `variants` and `grid` say about the run config is checked against the run
 * config's schema by `checkSweepConfigPaths`.
 */
export const sweepSpecSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"'),
    description: z.string().default(''),
    /** The base run config: a path (relative to the sweep file) or the config inline. */
    base: z.union([z.string().min(1), z.record(z.string(), jsonValue)], {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'must be a run config file (relative to the sweep file) or the config inline'
          : undefined,
    }),
    /**
     * Named sets of values that go together (a method with its options and views), each crossed
     * with the grid: `[{ name: paco, set: { method: {...}, data.transforms.train: {...} } }]`.
     */
    variants: z
      .array(z.strictObject({ name: z.string().min(1), set: z.record(configPathSchema, jsonValue) }))
      .default([]),
    /** Every combination of these values is a run (first key outermost). */
    grid: z.record(configPathSchema, gridValues).default({}),
    random: z
      .strictObject({
        count: z.number().int().min(1),
        seed: z.number().int().min(0).default(0),
        params: z.record(configPathSchema, distributionSchema),
      })
      .optional(),
    /** Seeds per configuration: a count (seeds base, base+1, ...) or the list of seeds. */
    replicates: z
      .union([z.number().int().min(1), z.strictObject({ seeds: z.array(z.number().int().min(0)).min(1) })], {
        error: (issue) =>
          issue.code === 'invalid_union'
            ? 'must be a count of seeds (2) or a list of them ({ seeds: [0, 1] })'
            : undefined,
      })
      .default(1),
    objective: objectiveSchema.default({ metric: 'test/top1', mode: 'max' }),
    earlyStopping: earlyStoppingSchema.optional(),
    maxConcurrency: z.number().int().positive().optional(),
    /** 0-100, higher first. */
    priority: z.number().int().min(0).max(100).default(50),
    /**
     * The most runs this sweep may expand to (before duplicate configs are dropped); above it
     * the sweep is refused before anything is expanded. Default: DEFAULT_MAX_RUNS (sweep-size.ts).
     */
    maxRuns: z.number().int().positive().optional(),
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
