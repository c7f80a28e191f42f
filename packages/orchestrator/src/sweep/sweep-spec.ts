import { z } from 'zod';
import { TPE_DEFAULTS } from '../search/tpe-sampler.js';

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
    z.strictObject({
      distribution: z.literal('choice'),
      values: z.array(jsonValue).min(1),
      /** Names for the values in run labels (`view=mild`), one per value: for objects and lists. */
      labels: z.array(z.string().regex(/^\S+$/, 'must be one word')).optional(),
    }),
  ])
  .superRefine((d, ctx) => {
    if (d.distribution === 'choice' && d.labels !== undefined && d.labels.length !== d.values.length)
      ctx.addIssue({
        code: 'custom',
        path: ['labels'],
        message: `has ${d.labels.length} label(s) for ${d.values.length} value(s): give one label per value`,
      });
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
    /**
     * A model-based search instead of `random:`: the Tree-structured Parzen Estimator over the
     * same distributions, suggesting each run from the results so far (search/tpe-sampler.ts).
     * Runs are created as slots free up, `count` in all (docs/architecture.md §5.2).
     */
    tpe: z
      .strictObject({
        count: z.number().int().min(1),
        seed: z.number().int().min(0).default(0),
        /** Random draws until this many results are in (Optuna's n_startup_trials). */
        startup: z.number().int().min(0).default(TPE_DEFAULTS.startup),
        /** Points scored per suggestion (Optuna's n_ei_candidates). */
        candidates: z.number().int().min(1).default(TPE_DEFAULTS.candidates),
        /** Weight of the prior kernel against each result's 1. */
        priorWeight: z.number().positive().default(TPE_DEFAULTS.priorWeight),
        /** One joint estimator over all parameters instead of one per parameter. */
        multivariate: z.boolean().default(TPE_DEFAULTS.multivariate),
        params: z
          .record(configPathSchema, distributionSchema)
          .refine((params) => Object.keys(params).length > 0, 'must name at least one parameter to search'),
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
    for (const search of ['random', 'tpe'] as const) {
      for (const key of Object.keys(spec[search]?.params ?? {})) {
        if (key in spec.grid)
          ctx.addIssue({ code: 'custom', path: [search, 'params', key], message: 'is also a grid key' });
      }
    }
    if (spec.tpe !== undefined) tpeRestrictions(spec, ctx);
    const varied = [
      ...Object.keys(spec.grid),
      ...Object.keys(spec.random?.params ?? {}),
      ...Object.keys(spec.tpe?.params ?? {}),
    ];
    if (spec.replicates !== 1 && varied.includes('seed')) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicates'],
        message: 'cannot be combined with a grid, random or tpe "seed"',
      });
    }
  });

/**
 * A TPE sweep searches one space: it is not crossed with `random:`, replicates, several variants
 * or grid lists (each would need a search of its own). A variant or one-value grid lists may
 * still fix values for every run.
 */
function tpeRestrictions(
  spec: { random?: unknown; replicates: unknown; variants: unknown[]; grid: Record<string, unknown[]> },
  ctx: z.RefinementCtx,
): void {
  if (spec.random !== undefined)
    ctx.addIssue({ code: 'custom', path: ['tpe'], message: 'cannot be combined with random: (choose one search)' });
  if (spec.replicates !== 1)
    ctx.addIssue({
      code: 'custom',
      path: ['replicates'],
      message: 'cannot be combined with tpe: (each suggestion is one run; vary "seed" in tpe.params instead)',
    });
  if (spec.variants.length > 1)
    ctx.addIssue({
      code: 'custom',
      path: ['variants'],
      message: 'a tpe sweep takes at most one variant (put the alternatives in tpe.params as a choice)',
    });
  for (const [key, values] of Object.entries(spec.grid)) {
    if (values.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['grid', key],
        message: 'a tpe sweep takes one value per grid key (search it in tpe.params as a choice instead)',
      });
  }
}

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepSpec = z.output<typeof sweepSpecSchema>;
