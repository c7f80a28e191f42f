import { columnFilterSchema, RUN_STATUSES } from '@ltlab/store';
import { z } from 'zod';

/** Query strings of the read API: lists are comma-separated, filters are a JSON array. */
const csv = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string()
    .transform((value) => (value === '' ? [] : value.split(',')))
    .pipe(z.array(item).max(max));

const columnRef = z.string().min(3).max(300);

const filtersJson = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'filters must be a JSON array' });
      return z.NEVER;
    }
  })
  .pipe(z.array(columnFilterSchema).max(50));

export const scopeSchema = z.object({
  sweep: z.string().min(1).max(200).optional(),
  status: csv(z.enum(RUN_STATUSES), RUN_STATUSES.length).optional(),
  ids: csv(z.string().min(1).max(200), 1000).optional(),
  filters: filtersJson.optional(),
});

export const tableQuerySchema = scopeSchema
  .extend({
    sort: columnRef.optional(),
    dir: z.enum(['asc', 'desc']).default('asc'),
    columns: csv(columnRef, 100).default([]),
    limit: z.coerce.number().int().min(1).max(10_000).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type TableQueryParams = z.output<typeof tableQuerySchema>;

/**
 * Group keys: "everything except seed" can name every swept leaf (8 for the main job's
 * methods). Each key is a join, and SQLite allows 64 tables in one query. No key: one group.
 */
const groupKeys = csv(z.string().min(1).max(300), 24).default([]);

export const groupQuerySchema = scopeSchema
  .extend({
    groupBy: groupKeys,
    metrics: csv(columnRef, 20).refine((refs) => refs.length > 0, 'name at least one metric column'),
  })
  .strict();

/** Aggregated curves: one metric series (`metric:<split>:<name>`) per group, mean ± std per epoch. */
export const groupCurvesQuerySchema = scopeSchema
  .extend({
    groupBy: groupKeys,
    series: columnRef.regex(/^metric:[^:]+:.+$/, 'name a metric series as metric:<split>:<name>'),
  })
  .strict();

export const varyingQuerySchema = scopeSchema.strict();

/** The export is the `ltlab runs export` table, so it takes the view's scope and order, not its columns. */
export const exportQuerySchema = scopeSchema
  .extend({
    sort: columnRef.optional(),
    dir: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

export const compareQuerySchema = z
  .object({ ids: csv(z.string().min(1).max(200), 20).refine((ids) => ids.length >= 2, 'compare needs 2 to 20 runs') })
  .strict();

export const sweepsQuerySchema = z.object({}).strict();
export const columnsQuerySchema = z.object({ sweep: z.string().min(1).max(200).optional() }).strict();

export const runIdsBodySchema = z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(10_000) }).strict();
