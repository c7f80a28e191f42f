import { LtlabError } from '@ltlab/core';
import { z } from 'zod';
import type { ColumnFilter } from './wire/column-filter.js';
import { COLUMN_GRAMMAR, type ColumnRef, type ParsedColumn, readColumn } from './wire/column-grammar.js';

/**
 * Column references and filters as the store takes them from outside (the dashboard's query
 * string, `ltlab runs list --where`): checked, with coded errors. The grammar itself is
 * wire/column-grammar.ts.
 */
export function parseColumn(ref: ColumnRef): ParsedColumn {
  const column = readColumn(ref);
  if (column !== null) return column;
  throw new LtlabError('CONFIG.INVALID', `Unknown column '${ref}'.`, { fix: `Name a column as ${COLUMN_GRAMMAR}.` });
}

export const columnRefSchema = z.string().min(1).max(300);
const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const columnFilterSchema = z
  .object({
    column: columnRefSchema,
    equals: scalarSchema.optional(),
    in: z.array(scalarSchema).min(1).max(1000).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    contains: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((f) => [f.equals, f.in, f.min ?? f.max, f.contains].some((v) => v !== undefined), {
    message: 'a filter needs equals, in, min/max or contains',
  })
  // The wire's filter model has no `undefined` values (exact optional keys): absent stays absent.
  .transform(
    (f): ColumnFilter =>
      Object.fromEntries(Object.entries(f).filter(([, value]) => value !== undefined)) as unknown as ColumnFilter,
  );
